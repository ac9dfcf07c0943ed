import { and } from 'xstate';
import { engine } from '../setup.ts';
import type { Kit } from '../kit.ts';
import { DETAILS, IDLE, RECOMMENDING, TRANSCRIBING, UNDERSTANDING } from '../stateIds.ts';
import { menuFlow } from '../../flows/menu.ts';
import { chose, command, greet, replyText, replyWithMenu, routeTo, turn, understood } from './refs.ts';

/** Talking with the bot: text to understand, voice, greeting, menu, help, language, small talk. */
export function dialogueDecisions(k: Kit) {
  // a greeting brings recommendations too, unless the scenario switches them off
  const recommends = k.s.recommend.limit > 0;
  const languages = command('lang', 'language');
  return engine.createStateConfig({
    on: {
      text: [
        { guard: 'emptyText', target: IDLE, actions: turn(replyWithMenu('fallback')) },
        { target: UNDERSTANDING, actions: turn('askUnderstanding') },
      ],
      voice: [{ target: TRANSCRIBING, actions: turn('transcribe') }],
      location: [{ target: IDLE, actions: turn(replyWithMenu('locationReceived')) }],
      unsupported: [{ target: IDLE, actions: turn('explainUnsupported') }],
      choice: [
        { guard: chose('menu'), target: IDLE, actions: turn(replyWithMenu('menuPrompt')) },
        // «Вернуться к боту» tapped after the hand-off already ended: the shopper is with the bot
        { guard: chose('bot'), target: IDLE, actions: turn(replyWithMenu('menuPrompt')) },
        { guard: 'languageChoice', target: IDLE, actions: turn('switchLanguage') },
        { guard: menuFlow(k, 'help'), target: IDLE, actions: turn(replyWithMenu('help')) },
        { guard: menuFlow(k, 'language'), target: IDLE, actions: turn('offerLanguages') },
        { guard: menuFlow(k, 'info'), target: IDLE, actions: turn('showInfo') },
      ],
      command: [
        // a deep link (`t.me/bot?start=SOFA-001`, an ad or a QR code on a price tag) opens that product
        {
          guard: and([command('start'), 'deepLinkSku']),
          target: DETAILS,
          actions: turn(greet(false), 'lookUpLinkedProduct'),
        },
        ...(recommends ? [{ guard: command('start'), target: RECOMMENDING, actions: turn(greet(true)) } as const] : []),
        { guard: command('start'), target: IDLE, actions: turn(greet(false)) },
        { guard: command('menu'), target: IDLE, actions: turn(replyWithMenu('menuPrompt')) },
        { guard: and([languages, 'languageArg']), target: IDLE, actions: turn('switchLanguage') },
        { guard: languages, target: IDLE, actions: turn('offerLanguages') },
        { guard: command('stop'), target: IDLE, actions: turn(replyText('bye')) },
      ],
      'timer.fired': [{ guard: { type: 'ownTimer', params: { kind: 'idle' } }, actions: 'idleFollowUp' }],
      'understand.done': [
        { guard: and([routeTo(k, 'language'), 'languageNamed']), target: IDLE, actions: understood('switchLanguage') },
        { guard: routeTo(k, 'language'), target: IDLE, actions: understood('offerLanguages') },
        ...(recommends
          ? [{ guard: routeTo(k, 'greeting'), target: RECOMMENDING, actions: understood(greet(true)) } as const]
          : []),
        { guard: routeTo(k, 'greeting'), target: IDLE, actions: understood(greet(false)) },
        { guard: routeTo(k, 'menu'), target: IDLE, actions: understood(replyWithMenu('menuPrompt')) },
        { guard: routeTo(k, 'help'), target: IDLE, actions: understood(replyWithMenu('help')) },
        { guard: routeTo(k, 'thanks'), target: IDLE, actions: understood(replyText('thanks')) },
        { guard: routeTo(k, 'bye'), target: IDLE, actions: understood(replyText('bye')) },
        { guard: routeTo(k, 'smalltalk'), target: IDLE, actions: understood(replyText('smalltalk')) },
        { guard: routeTo(k, 'forget'), target: IDLE, actions: understood('forget') },
      ],
    },
  }).on;
}
