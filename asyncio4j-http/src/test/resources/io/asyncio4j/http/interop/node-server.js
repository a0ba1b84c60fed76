// The Node side of NodeDifferentialTest: Node's built-in http server (llhttp) with its defaults,
// answering every request it accepts with 200 and what it understood: the method, the target
// and the body's length. It listens on 127.0.0.1 on a free port and prints the port.
'use strict';
const http = require('http');
const server = http.createServer((req, res) => {
  let n = 0;
  req.on('data', (c) => { n += c.length; });
  req.on('end', () => {
    const body = `${req.method} ${req.url} ${n}\n`;
    res.writeHead(200, {'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body)});
    res.end(body);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.stdin.on('end', () => process.exit(0)); // the test closes our stdin to stop us
process.stdin.resume();
