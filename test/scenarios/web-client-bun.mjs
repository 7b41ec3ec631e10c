// The client scenario in Bun: Bun.connect's callback socket through wirehttp/web's connectBun.
import { connectBun } from 'wirehttp/web';
import { clientScenario } from './web-client.mjs';

export default (input) =>
  clientScenario(async (port) => {
    const socket = await connectBun({ hostname: '127.0.0.1', port });
    return { pair: socket, close: async () => socket.close() };
  }, input);
