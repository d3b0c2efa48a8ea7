import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { deviceIdOf } from '../../http/auth.ts';
import type { Api } from '../../http/types.ts';
import { CLIENT_EVENT_TYPES, MAX_BATCH } from './events.ts';

// Each event is checked on its own by the recorder, because a bad one must not sink the
// batch; the schema bounds the envelope and documents the event.
const EventDoc = Type.Unknown({
  description: `{type: ${CLIENT_EVENT_TYPES.join('|')}, productId?, query?, results?, position?, contentId?, page?, channel?, campaign?, at?}`,
});

export function trackingRoutes(api: Api, { services }: AppContext) {
  api.post('/events', {
    bodyLimit: 512 * 1024,
    schema: {
      tags: ['behaviour'],
      summary: 'Record a batch of behaviour (anonymous with X-Device-Id, or signed in)',
      description: `Up to ${MAX_BATCH} events. Bad events are listed in \`rejected\` and the good ones kept. Purchases are recorded by the platform.`,
      body: Type.Object({ events: Type.Array(EventDoc, { minItems: 1, maxItems: MAX_BATCH }) }),
      response: { 202: Type.Object({ accepted: Type.Integer(), rejected: Type.Array(Type.Object({ index: Type.Integer(), field: Type.String(), message: Type.String() })) }) },
    },
  }, async (request, reply) => {
    const result = await services.events.record({ userId: request.user?.id, deviceId: deviceIdOf(request) }, request.body.events);
    return reply.status(202).send(result);
  });
}
