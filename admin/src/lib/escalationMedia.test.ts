import { describe, expect, it } from 'vitest';
import { messageMedia } from './escalationMedia.ts';

const at = '2026-11-26T10:00:00.000Z';

describe('messageMedia', () => {
  it('points a photo or voice note at the authenticated media route and keeps only the caption', () => {
    expect(
      messageMedia('e-1', {
        id: 'm-1',
        author: 'shopper',
        text: '📷 photo: AgAC123 — вот такой',
        createdAt: at,
        media: 'photo',
      }),
    ).toEqual({
      media: { kind: 'photo', url: '/api/escalations/e-1/messages/m-1/media' },
      text: 'вот такой',
    });
    expect(
      messageMedia('e-1', { id: 'm-2', author: 'shopper', text: '🎤 voice: wa-77', createdAt: at, media: 'voice' }),
    ).toEqual({
      media: { kind: 'voice', url: '/api/escalations/e-1/messages/m-2/media' },
      text: '',
    });
  });

  it('leaves plain messages alone', () => {
    expect(
      messageMedia('e-1', { id: 'm-3', author: 'shopper', text: '📷 photo: looks like text', createdAt: at }),
    ).toEqual({ text: '📷 photo: looks like text' });
  });
});
