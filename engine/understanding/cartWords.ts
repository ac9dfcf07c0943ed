import { all, re } from './rules.ts';

/**
 * The words of buying: the cart, checkout and orders, in Russian, Kazakh and English. Phrase rules
 * are matched against the flattened message (« word word », see rules.ts); single words are sets,
 * checked token by token to tell what is left of a message once the buying words are taken out.
 */

/** one cheap test before any other: a message with none of these stems is no cart message */
export const CART_GATE = re(
  "\\b(?:к[ао]рзин|себет|cart|basket|бер[уеё]|возьм|вазьм|взять|купл|купит|купим|покупа|заказ|закаж|[оа]ф[оа]?рм|оплат|оплач|заплат|плачу|ала[мй]|алғым|алгым|тапсырыс|төле|толе|рәсімде|расимде|checkout|check|order|buy|purchase|take|pay|i'll|add|put|place|proceed|штук|штуч|шт|дана|pcs|piece|item|хочу|хотим|дава|вот|want|gimme|добав|полож|закин|кинь|брось|қос|кос|сал|таких|этих|these|those|осындай|минус|more)",
);

/** the cart itself: «корзина», «корзинку», «карзине», «себет», "cart", "basket" */
export const CART_NOUN = re('\\b(?:к[ао]рзин|себет|cart|basket)\\p{L}*');
/** «корзина для белья»: a product, not the cart */
export const CART_PRODUCT = re('\\bк[ао]рзин\\p{L}*\\s+(?:для|под|из|плетен\\p{L}*)\\b');
/** into the cart: «в корзину», «в корзинку», "to my cart", «себетке» */
export const INTO_CART = re(
  '\\b(?:в|во)\\s+к[ао]рзин(?:у|ку|очку)\\b|\\b(?:to|into)\\s+(?:my\\s+|the\\s+)?(?:cart|basket)\\b|\\bсебет(?:ке|іме|име|имe)\\b|\\b(?:put|add)\\b.*\\bin\\s+(?:my\\s+|the\\s+)?(?:cart|basket)\\b',
);
/** «что я добавил в корзину»: what was added — a look at the cart, not one more */
export const ADDED = re(
  '\\b(?:добавил|добавила|добавили|положил|положила|положили|закинул|закинула|закинули|added|қостым|салдым)\\b',
);

/** «не беру», «не добавляй в корзину», "don't add it": the opposite of taking */
export const NOT_TAKING = re(
  "\\b(?:не|нет|not|don'?t|dont|won'?t|never|никогда)\\s+(?:\\p{L}+\\s+)?(?:бер|брат|возьм|взя|куп|покуп|закаж|заказыва|добав|полож|закин|add|take|buy|order|put)\\p{L}*",
);

/** emptying the cart: a verb that means all of it, or a removing verb with «всё» */
export const CLEAR_VERB = re('\\b(?:очист|очищ|сброс|обнул|опустош|clear|empty|reset|тазала|тазарт|босат)\\p{L}*');
export const REMOVE_ALL = re(
  all(
    '\\b(?:удал|убер|убра|выкин|remove|delete|өшір|ошир|алып\\s+таста)\\p{L}*',
    '\\b(?:вс[её]|всех|полностью|целиком|everything|all|бәрін|барін|барлығын|толық)\\b',
  ),
);

/** placing the order: «оформить заказ», «оформляем», «к оплате», «тапсырыс беру», "checkout" */
export const CHECKOUT = re(
  [
    '\\b(?:[оа]ф[оа]?рм)\\p{L}*',
    '\\b(?:сдела\\p{L}*|размест\\p{L}*)\\s+заказ\\p{L}*',
    '\\bк\\s+оплат\\p{L}*',
    '\\bтапсырыс\\p{L}*\\s+(?:бер|жаса|рәсімде|расимде)\\p{L}*',
    '\\b(?:рәсімде|расимде)\\p{L}*',
    '\\b(?:checkout|check\\s+out|place\\s+(?:the\\s+|an\\s+|my\\s+|this\\s+)?order|proceed\\s+to\\s+(?:checkout|payment)|(?:complete|confirm|finish)\\s+(?:the\\s+|my\\s+)?order|make\\s+(?:an|the)\\s+order)\\b',
  ].join('|'),
);
/** «оформить рассрочку», «оформить возврат»: other paperwork, not this order */
export const NOT_CHECKOUT = re(
  '\\b(?:рассрочк|кредит|частям|возврат|обмен|претензи|жалоб|гаранти|карт|instal|loan|refund|parts?\\b|monthly|бөліп)\\p{L}*',
);
/** paying now: «хочу оплатить», «оплачу», «төлегім келеді», "I want to pay" — unless asked about how */
export const PAY = re(
  "\\b(?:оплатить|оплачу|оплатим|оплачиваю|оплачиваем|заплатить|заплачу|плачу|төлегім|төлеймін|төлейін|төлейік|толегим|толеймин|pay|i'll\\s+pay)\\b",
);
/** «оплатить картой можно?», "can I pay on delivery?": a question about how to pay, for the FAQ */
export const PAY_QUESTION = re(
  '\\b(?:можно|ли|как|где|сколько|каким|чем|can|could|how|which|бола|ма|ме|ба|бе|қалай|калай|карт\\p{L}*|наличн\\p{L}*|нал|налом|каспи|kaspi|переводом|получени\\p{L}*|курьер\\p{L}*|card|cash|delivery|receipt|qr)\\b',
);

/** an order, as a noun: «заказ», «заказом», "order", «тапсырысым» (never the verb «заказать») */
export const ORDER_NOUN =
  /^(?:заказ|заказа|заказу|заказом|заказе|заказы|заказов|заказик|order|orders|тапсырыс\p{L}*|zakaz)$/u;
/** asking after an order: where, when, its status, «мой» */
export const ORDER_ASK = re(
  '\\b(?:где|когда|статус\\p{L}*|что\\s+с|как\\s+там|отслед\\p{L}*|трек\\p{L}*|привез\\p{L}*|доставят|доставлен\\p{L}*|отправ\\p{L}*|готов\\p{L}*|в\\s+пути|мой|моя|мои|моего|моим|where|when|status|track\\p{L}*|shipped|arriv\\p{L}*|my|қайда|кайда|қашан|кашан|күй\\p{L}*|жағдай\\p{L}*|дайын\\p{L}*|жеткіз\\p{L}*|тапсырысым\\p{L}*|тапсырыстарым\\p{L}*)\\b',
);
/** «заказ пришёл сломанный», «отменить заказ»: a problem for a manager, not a status question */
export const ORDER_PROBLEM = re(
  '\\b(?:сломан\\p{L}*|брак\\p{L}*|поврежд\\p{L}*|царапин\\p{L}*|не\\s+тот|не\\s+та|возврат\\p{L}*|вернуть|отмен\\p{L}*|broken|damaged|wrong|cancel\\p{L}*|refund)\\b',
);
/** between an order word and its number: «заказ номер 7», «заказа № 12» (NFKC turns № into "No") */
export const ORDER_NUMBER_CUE = /^(?:номер|номером|no|n|nr|number|num|нөмір\p{L}*|нөмері|номері)$/u;

/** «как заказать?», «где купить»: how-to and where questions stay help and search */
export const HOW = re('\\b(?:как|где|how|where|қалай|калай|қайдан|қайда)\\b');

/** verbs of taking: «беру», «возьму», «куплю», «закажу», «аламын», "take", "buy" */
export const TAKE =
  /^(?:беру|берем|берём|возьму|возьмем|возьмём|вазьму|взять|куплю|купить|покупаю|покупаем|купим|закажу|заказать|заказываю|заказываем|закажем|аламын|алам|аламыз|алайын|алайық|алайык|алғым|алгым|take|buy|purchase|order)$/u;
/** verbs of adding to the cart: «добавь», «положи», «закинь», "add", «қос», «салыңыз» */
export const ADD =
  /^(?:добав\p{L}*|полож\p{L}*|закин\p{L}*|кинь|киньте|брось|бросьте|add|put|қос\p{L}*|кос|косу|косыныз|сал|салу|салыңыз\p{L}*|салыныз\p{L}*)$/u;
/** pointing at the product on screen: «этот», «его», «вот», "this", «осыны» */
export const THIS =
  /^(?:этот|эта|эту|это|этого|этой|его|ее|её|их|таких|такой|такую|такие|тот|ту|вот|this|it|that|these|those|осыны|осы|осындай|мынаны|мына|мынау|соны|сол|бұны|буны)$/u;
/** «хочу этот», «давайте этот», "I want this one": wanting what is pointed at */
export const WANT = /^(?:хочу|хотим|давай|давайте|want|wanna|gimme|like|маған)$/u;
/** «ещё один», «тағы біреу», "one more", "another one": one more of the product on screen, not a count of one */
export const MORE_OF = /^(?:еще|тағы|тагы|another|one)$/u;
export const ONE_MORE = /^(?:один|одну|одно|одна|штуку|штучку|такой|такую|бір|бир|біреу\p{L}*|биреу\p{L}*|one|more)$/u;

/** words of no meaning around a purchase: «тогда», «ок», "now", «онда» */
export const FILLER = new Set(
  "тогда ок окей ладно хорошо ага сразу уже пожалуй мне себе штучку one now ok okay yes then just i'll i'd онда жарайды иә ия сатып келеді келед на".split(
    ' ',
  ),
);
/** browsing words that make «take»/«взять» something else: "take a look", «взять посмотреть» */
export const BROWSING = /^(?:look|посмотреть|глянуть|увидеть|смотрю|найти|искать|ищу)$/u;
