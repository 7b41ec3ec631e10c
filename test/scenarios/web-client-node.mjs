// The client scenario in Node: a net.Socket as Web streams (Duplex.toWeb). The reference run.
import net from 'node:net';
import { Duplex } from 'node:stream';
import { clientScenario } from './web-client.mjs';

export default (input) =>
  clientScenario(async (port) => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return { pair: Duplex.toWeb(socket), close: async () => void socket.destroy() };
  }, input);
