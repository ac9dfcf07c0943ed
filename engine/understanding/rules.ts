/**
 * Phrase rules for the non-search intents, matched against the normalised message with
 * punctuation flattened to single spaces (« позовите менеджера »). `\b` in these sources is a
 * word edge (JavaScript's own `\b` does not know Cyrillic), rewritten by `re` below.
 */

/**
 * The message arrives as « word word word »: single spaces, one at each end. So a word's start
 * is "after a space" and its end "before a space" — cheap edges that keep every rule fast.
 */
export function re(source: string): RegExp {
  return new RegExp(source.replace(/\\b(?=[(\p{L}\\])/gu, '(?<= )').replace(/\\b/g, '(?= )'), 'u');
}
/** every part somewhere in the message, in any order */
export function all(...parts: string[]): string {
  return `^${parts.map((p) => `(?=.*${p})`).join('')}`;
}

export const RULES = {
  /** "are you human?" is small talk, not a hand-off request */
  botQuestion: re(
    '\\b(?:ты|вы|are you|r u|сен|сіз)\\s+(?:бот|робот|человек|живой|a bot|bot|a robot|robot|human|real|a human|a real person|ботсың|ботсыз|робот\\p{L}*|адамсың|адамсыз)\\b',
  ),

  cancelAlert: re(
    [
      '\\bотпи[сш]\\p{L}*',
      all(
        '\\b(?:отмен|отключ|удал|убер|убра|выключ|прекрат|перестан|хватит|стоп|не\\s+присыл|не\\s+надо|не\\s+нужн|не\\s+отправл|не\\s+шли|не\\s+пиш|больше\\s+не|не\\s+хочу)\\p{L}*',
        '\\b(?:уведомл|оповещ|подписк|рассылк|алерт|напоминан|сообщени|уведомух|оповещал)\\p{L}*',
      ),
      '\\bunsubscribe\\b',
      all(
        "\\b(?:stop|cancel|disable|turn off|switch off|remove|delete|no more|don't send|dont send|do not send|unsubscribe)\\b",
        '\\b(?:alert|alerts|notification|notifications|notifs?|updates|messages|subscription)\\b',
      ),
      all(
        '\\b(?:хабарлама|ескерту|жазылу|хабар)\\p{L}*',
        '\\b(?:тоқтат|тоқта|өшір|керек емес|жібермеңіз|жіберме|бас тарт|алып таста|қажет емес)\\p{L}*',
      ),
    ].join('|'),
  ),

  createAlert: re(
    [
      all(
        '\\b(?:уведом|сообщ|напиш|дай\\p{L}*\\s+знать|оповест|предупред|подпиш|подпис|маякн|известит|напомн|пиши|свистни|отпиши\\p{L}*\\s+мне)\\p{L}*',
        '\\b(?:подешев|дешевл|дешевеет|ниже|станет\\s+меньше|снизит|снизят|снизилась|снизится|снижен|упад|упал|скидк|уценк|уцен|понизит|понижен|распродаж|акци)\\p{L}*',
      ),
      all('\\b(?:следи|следить|отслеж|мониторь)\\p{L}*', '\\bцен\\p{L}*'),
      all(
        '\\b(?:хочу|включи|подпиш|нужн|получать|создай|поставь|настрой|оформи)\\p{L}*',
        '\\b(?:уведомлени|оповещени|алерт|подписк)\\p{L}*',
      ),
      '\\bуведоми\\p{L}*',
      all(
        '\\b(?:когда|если|как\\s+только|как)\\b',
        '\\b(?:подешеве\\p{L}*|снизится|снизят|упадет|упадёт|станет\\s+дешевле|будет\\s+дешевле|будет\\s+скидка)',
        '\\b(?:знать|узнать|сообщ\\p{L}*|скаж\\p{L}*|напиш\\p{L}*|пиши|уведом\\p{L}*|оповест\\p{L}*|маякн\\p{L}*)',
      ),
      all(
        '\\b(?:notify|let me know|alert me|tell me|ping me|inform me|message me|text me|email me|send me)\\b',
        '\\b(?:price|drops?|dropped|cheaper|sale|discount|goes down|go down|lower|reduced|reduction|falls?)\\b',
      ),
      '\\b(?:price alert|price drop alert|price watch|watch the price|track the price|notify me|set an alert|set alert|create an alert)\\b',
      all(
        '\\b(?:хабарла|хабар бер|хабарлас|ескерт|айтыңыз|айтшы|жазыңыз|жаз)\\p{L}*',
        '\\b(?:баға|арзанда|арзандаса|түссе|түскенде|түседі|жеңілдік)\\p{L}*',
      ),
    ].join('|'),
  ),

  escalate: re(
    [
      '\\b(?:менеджер|манагер|манагер|оператор|консультант|специалист|администратор|админ|руководител|начальств|директор|поддержк|саппорт|кеңесші|маман)\\p{L}*',
      '\\b(?:жив|реальн|настоящ|нормальн|обычн)\\p{L}*\\s+(?:человек|людь|люд|сотрудник)\\p{L}*',
      '\\bне\\s+(?:хочу|буду|желаю|собираюсь)\\s+(?:\\p{L}+\\s+)?(?:с\\s+)?бот\\p{L}*',
      "\\b(?:don'?t|do not)\\s+want\\s+(?:to\\s+)?(?:talk|chat|speak)?\\s*(?:to|with)?\\s*(?:a|the|this)?\\s*bot\\b",
      '\\b(?:кто|есть)\\s+(?:\\p{L}+\\s+)?жив(?:ой|ые|ая|ых)\\b',
      '\\bс\\s+(?:человеком|людьми|сотрудником|кем\\s*то|кем\\s*нибудь)\\b',
      '\\b(?:позов|позв|зови|соедин|переключ|свяж|дайте|нужен|нужна|хочу|можно)\\p{L}*\\s+(?:\\p{L}+\\s+)?(?:человек|человека|сотрудник\\p{L}*|людей)\\b',
      // object first: «человека позовите», «сотрудника дайте»
      '\\b(?:человека|сотрудника|людей)\\s+(?:\\p{L}+\\s+)?(?:позов|позв|зови|соедин|дайте|пригласи)\\p{L}*',
      '\\b(?:перезвон|позвоните мне|свяжитесь со мной|свяжитесь|наберите меня|звонок)\\p{L}*',
      '\\b(?:manager|human|operator|real person|live agent|live person|live chat|agent|representative|support|someone real|customer service|call me|a person|real human|speak to someone|talk to someone|talk to somebody|speak with someone|talk with someone|speak with somebody|talk with somebody|speak to somebody|supervisor)\\b',
      '\\b(?:адаммен|тірі адам|адам шақыр|адамға|қоңырау шал|хабарласыңыз|байланыс)\\p{L}*',
    ].join('|'),
  ),

  forget: re(
    [
      '\\bне\\s+(?:запоминай|сохраняй|запоминайте|сохраняйте)\\b',
      all(
        '\\b(?:забуд|забыть|забуть|удали|удалит|сотри|стер|очист|сброс|обнул)\\p{L}*',
        '\\b(?:предпочт|данн|истори|настройк|обо мне|что я|мои|меня|фильтр|критери|памят|все|всё|вкус)\\p{L}*',
      ),
      '\\bforget\\b',
      all(
        '\\b(?:clear|reset|delete|erase|wipe|remove)\\b',
        '\\b(?:preferences|my data|history|profile|memory|filters|everything about me)\\b',
      ),
      '\\bұмыт\\p{L}*',
      all('\\b(?:өшір|тазала)\\p{L}*', '\\b(?:қалау|дерек|тарих|таңдау)\\p{L}*'),
    ].join('|'),
  ),

  langKk: re(
    '\\b(?:по\\s*казахски|на\\s*казахском|казахск\\p{L}*|қазақша|казакша|қазақ\\s+тіл\\p{L}*|казак\\s+тил\\p{L}*|kazakh|qazaqsha|kazakhsha)\\b',
  ),
  langRu: re(
    '\\b(?:по\\s*русски|на\\s*русском|русск\\p{L}*|орысша|орысшa|орыс\\s+тіл\\p{L}*|russian|russki|po russki)\\b',
  ),
  langEn: re(
    '\\b(?:по\\s*английски|на\\s*английском|английск\\p{L}*|ағылшынша|агылшынша|ағылшын\\s+тіл\\p{L}*|english|eng|inglish|англ)\\b',
  ),
  langVerb: re(
    '\\b(?:говори|говорите|пиши|пишите|отвечай|отвечайте|давай|давайте|переключ|перейд|перейти|можно|смени|поменяй|язык|speak|switch|talk|write|reply|answer|please|language|сөйле|жаз|жауап|тіл|ауыстыр|болсын|керек)\\p{L}*',
  ),

  details: re(
    '\\b(?:сколько\\s+стоит|почем|цена|how much|price|қанша|подробн|детал|характеристик|описани|расскаж\\p{L}*\\s+(?:о|об|про)|инф[оа]\\p{L}*|толығырақ|толық|сипаттама|details?|more info|tell me more|specs?|description)\\p{L}*',
  ),

  /** questions about the bot itself — these win over a polite «спасибо» around them */
  helpQuestion: re(
    '\\b(?:что\\s+ты\\s+умеешь|что\\s+умеешь|что\\s+ты\\s+можешь|что\\s+вы\\s+умеете|что\\s+вы\\s+можете|что\\s+можешь|как\\s+пользоваться|как\\s+это\\s+работает|как\\s+работает|как\\s+тут\\s+\\p{L}+|как\\s+(?:искать|найти|заказать|выбрать|купить|оформить)|не\\s+понимаю|непонятно|what can (?:you|u) do|how does (?:this|it) work|how to use|не\\s+істей\\s+аласы\\p{L}*|қалай\\s+қолдан\\p{L}*|не\\s+білесің)\\b',
  ),
  help: re('\\b(?:хелп|хэлп|помощь|помоги|помогите|помочь|инструкци\\p{L}*|help|көмек\\p{L}*)\\b'),
  menu: re(
    '\\b(?:меню|главное|в\\s+начало|на\\s+главную|сначала|заново|каталог|мәзір\\p{L}*|menu|main menu|start over|home|catalog|catalogue|каталог\\p{L}*)\\b',
  ),
  greeting: re(
    '\\b(?:саламатсыз\\p{L}*|саламатсызба|привет\\p{L}*|приветик|здравствуй\\p{L}*|здрасьте|здрасте|здарова|здаров\\p{L}*|добрый\\s+(?:день|вечер)|доброе\\s+утро|доброй\\s+ночи|доброго\\s+(?:времени|дня|вечера)|хай|хэй|салам|салем|сәлем\\p{L}*|сәлеметсіз\\p{L}*|салеметсиз\\p{L}*|ассалау\\p{L}*|армысыз|армысың|қайырлы\\s+(?:таң|күн|кеш)|hi|hello|hey|hiya|howdy|good\\s+(?:morning|afternoon|evening)|greetings|yo|start|старт|начать|бастау|ку)\\b',
  ),
  thanks: re(
    '\\b(?:спасибочки|спасибки|пасибки|спасиб\\p{L}*|спс|сенкс|благодарю|благодарствую|пасиб\\p{L}*|мерси|рахмет|рақмет|рахмат|thanks|thank you|thank u|thx|ty|tysm|cheers|appreciate it)\\b',
  ),
  bye: re(
    '\\b(?:пока(?=\\s*$)|ну\\s+пока|покеда|до\\s+свидания|досвидания|до\\s+встречи|всего\\s+доброго|всего\\s+хорошего|бывай|сау\\s+бол\\p{L}*|сау\\s+болыңыз|көріскенше|кездескенше|қош\\s+бол\\p{L}*|bye|goodbye|bye bye|see you|see ya|good night|спокойной\\s+ночи|хорошего\\s+дня)\\b',
  ),
  smalltalk: re(
    "\\b(?:как\\s+дела|как\\s+ты|как\\s+вы|как\\s+жизнь|как\\s+поживаешь|как\\s+настроение|как\\s+сам|кто\\s+ты|ты\\s+кто|кто\\s+вы|вы\\s+кто|как\\s+тебя\\s+зовут|как\\s+вас\\s+зовут|что\\s+делаешь|чем\\s+занимаешься|как\\s+твои\\s+дела|как\\s+у\\s+тебя\\s+дела|how are you|how r u|how are u|who are you|what'?s up|whats up|sup|what is your name|what'?s your name|қалайсың|қалың қалай|қалыңыз қалай|жағдай\\p{L}*\\s+қалай|сен\\s+кімсің|сіз\\s+кімсіз|не\\s+жаңалық|шутк\\p{L}*|анекдот\\p{L}*|joke|ты\\s+бот|вы\\s+бот|are you a bot|are you human|are you real|ботсың ба)\\b",
  ),

  searchVerb: re(
    '\\b(?:ищу|ищем|искать|найди|найдите|найти|нужен|нужна|нужно|нужны|надо|хочу|хотим|хотел\\p{L}*|покаж\\p{L}*|показать|подбер\\p{L}*|посоветуй\\p{L}*|порекомендуй\\p{L}*|есть|имеется|продаете|продаёте|куплю|купить|интересует|интересуют|looking|need|want|show|find|search|recommend|have|got|any|sell|іздеймін|іздеп|керек|көрсет\\p{L}*|бар\\s+ма|алғым|сатып)\\b',
  ),
  /** topics the shop's FAQ/manager covers — never turned into a product query */
  offTopic: re(
    '\\b(?:скидк|акци|доставк|оплат|рассрочк|кредит|гаранти|адрес|график|магазин|возврат|обмен|сборк|самовывоз|режим|работаете|delivery|shipping|payment|installment|warranty|address|return|refund|жеткізу|төлем|мекенжай|кепілдік)\\p{L}*',
  ),

  angry: re(
    [
      '\\b(?:беси\\p{L}*|бесят|ужасн\\p{L}*|отвратительн\\p{L}*|кошмар\\p{L}*|достал\\p{L}*|дурацк\\p{L}*|туп(?:ой|ая|ые|ица|ость|ит)|идиот\\p{L}*|дебил\\p{L}*|бред|позор\\p{L}*|хрен\\p{L}*|херн\\p{L}*|фигн\\p{L}*|надоел\\p{L}*|заколебал\\p{L}*|задолбал\\p{L}*|безобраз\\p{L}*|обман\\p{L}*|мошенн\\p{L}*|ненавиж\\p{L}*|отстой\\p{L}*|издева\\p{L}*|бесполезн\\p{L}*|разочарова\\p{L}*|жалоб\\p{L}*|хамств\\p{L}*|хам|блин|черт|бляд\\p{L}*|бля|сук[аи]|нахрен|нафиг|дичь|кринж|вообще\\s+не\\s+работает|не\\s+работает)\\b',
      '\\b(?:terrible|awful|worst|hate|stupid|useless|ridiculous|scam|wtf|damn|idiot|idiotic|pathetic|disgusting|horrible|angry|furious|annoying|annoyed|sucks|fuck\\p{L}*|shit\\p{L}*|crap)\\b',
      '\\b(?:ақымақ\\p{L}*|нашар\\p{L}*|сұмдық|жаман\\s+қызмет|ашуым\\p{L}*|ашулы\\p{L}*|мазамды\\s+алды|түк\\s+істемейді|алдамшы\\p{L}*|ұят\\p{L}*)\\b',
    ].join('|'),
  ),
} as const;

export const EMOJI_INTENTS: ReadonlyArray<[RegExp, 'greeting' | 'thanks' | 'bye' | 'view_cart']> = [
  [/👋|🤝/u, 'greeting'],
  [/🛒/u, 'view_cart'],
  [/🙏|👍|❤️|❤|😊|🥰|💐/u, 'thanks'],
];
