// Node's ws package as a client of our server (one JSON line) and as an echo server for our
// client (prints the port, serves until stdin closes). NODE_PATH points at a node_modules with ws.
const WebSocket = require('ws');
const crypto = require('crypto');
const mode = process.argv[2];

function next(ws) {
  return new Promise((resolve, reject) => {
    ws.once('message', (data, isBinary) => resolve({ data, isBinary }));
    ws.once('error', reject);
  });
}

async function client(url) {
  const ws = new WebSocket(url, { perMessageDeflate: true, maxPayload: 1 << 24 });
  await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
  const out = { extensions: Object.keys(ws._extensions || {}) };
  ws.send('hello ✓');
  out.text = (await next(ws)).data.toString('utf8');
  const data = crypto.randomBytes(100000);
  ws.send(data);
  const b = await next(ws);
  out.binary = b.isBinary && Buffer.compare(b.data, data) === 0;
  ws.send('frag', { fin: false });
  ws.send('ment', { fin: true });
  out.fragmented = (await next(ws)).data.toString('utf8');
  const pong = new Promise((res) => ws.once('pong', (p) => res(p.toString())));
  ws.ping('pp');
  out.pong = (await pong) === 'pp';
  const closed = new Promise((res) => ws.once('close', (code, reason) => res([code, reason.toString()])));
  ws.send('close-me');
  out.close = await closed;
  console.log(JSON.stringify(out));
}

function server() {
  const wss = new WebSocket.WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true, maxPayload: 1 << 24 });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (!isBinary && data.toString() === 'close-me') {
        ws.close(4000, 'asked to');
      } else {
        ws.send(data, { binary: isBinary });
      }
    });
  });
  wss.on('listening', () => console.log(wss.address().port));
  process.stdin.on('end', () => { wss.close(); process.exit(0); });
  process.stdin.resume();
}

if (mode === 'client') {
  client(process.argv[3]).catch((e) => { console.error(e); process.exit(1); });
} else {
  server();
}
