import type { FastifyInstance } from 'fastify';
import { sendError } from './send-error.js';

/**
 * Requests are served only between the end of the start and the beginning of shutdown. The port
 * is bound before the root account is created (so that a busy port fails the start before any
 * secret is printed); until then, and once shutdown began, requests get 503 in the contract's
 * shape. During shutdown every response also closes its connection: a keep-alive socket left
 * idle after its last answer would otherwise hold the exit until the client or the keep-alive
 * timeout closed it.
 */
export interface ServingGate {
  install(app: FastifyInstance): void;
  /** the start is complete: serve requests */
  open(): void;
}

export function createServingGate(): ServingGate {
  let state: 'starting' | 'serving' | 'closing' = 'starting';
  return {
    open() {
      if (state === 'starting') state = 'serving';
    },
    install(app) {
      app.addHook('preClose', (done) => {
        // A failed start closes the app too; only a served app has anything to announce.
        if (state === 'serving') app.log.info('new requests are refused from now on');
        state = 'closing';
        done();
      });
      // Callback hooks, not async ones: they run on every request, and a promise per hook costs.
      app.addHook('onRequest', (_request, reply, done) => {
        if (state === 'serving') return done();
        const message = state === 'starting' ? 'the server is starting, retry shortly' : 'the server is shutting down, retry on another replica';
        // Answered here: the chain stops when the callback is not called.
        sendError(reply, 'unavailable', message);
      });
      app.addHook('onSend', (_request, reply, payload, done) => {
        if (state === 'closing') reply.header('Connection', 'close');
        done(null, payload);
      });
    },
  };
}
