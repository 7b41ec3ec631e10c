// The client scenario in workerd: connect() from cloudflare:sockets (the Worker's network service
// allows "local", so loopback is reachable).
import { connect } from 'cloudflare:sockets';
import { clientScenario } from './web-client.mjs';

export default (input) =>
  clientScenario(async (port) => {
    const socket = connect({ hostname: '127.0.0.1', port });
    await socket.opened;
    return { pair: socket, close: () => socket.close().catch(() => {}) };
  }, input);
