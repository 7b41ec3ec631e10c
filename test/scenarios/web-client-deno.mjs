// The client scenario in Deno: Deno.connect's connection already is a { readable, writable } pair.
import { clientScenario } from './web-client.mjs';

export default (input) =>
  clientScenario(async (port) => {
    const conn = await Deno.connect({ hostname: '127.0.0.1', port });
    return { pair: conn, close: async () => { try { conn.close(); } catch { /* closed by the client already */ } } };
  }, input);
