// The Node side of NodeClientInteropTest: Node's http client (keep-alive agent) against our
// server. Prints one JSON object of what it saw; the Java test checks it.
'use strict';
const http = require('http');
const zlib = require('zlib');
const crypto = require('crypto');
const base = new URL(process.argv[2]);
const agent = new http.Agent({keepAlive: true, maxSockets: 4});

function request(method, path, {headers = {}, body = null, chunks = null} = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({host: base.hostname, port: base.port, method, path, headers, agent}, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({status: res.statusCode, headers: res.headers, body: Buffer.concat(parts),
        reused: req.reusedSocket}));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (chunks) {
      for (const c of chunks) req.write(c);
      req.end();
    } else {
      req.end(body);
    }
  });
}

(async () => {
  const out = {};
  const a = await request('GET', '/');
  const b = await request('GET', '/json');
  out.hello = [a.status, a.body.toString()];
  out.json = JSON.parse(b.body.toString());
  out.reused = b.reused;
  const data = Buffer.alloc(1 << 20, 7);
  const chunks = [];
  for (let i = 0; i < data.length; i += 65536) chunks.push(data.subarray(i, i + 65536));
  const up = await request('POST', '/echo', {chunks});
  out.chunked_upload = [up.body.toString(), `len=${data.length} sha=${crypto.createHash('sha256').update(data).digest('hex')} chunked=true`];
  const st = await request('GET', '/stream');
  out.stream = [st.headers['transfer-encoding'], st.body.toString().split('\n').length - 1];
  const big = await request('GET', '/big', {headers: {'accept-encoding': 'gzip'}});
  out.big = [big.headers['content-encoding'], zlib.gunzipSync(big.body).toString().length];
  const head = await request('HEAD', '/static/data.bin');
  out.head = [head.status, head.headers['content-length'], head.body.length];
  const range = await request('GET', '/static/data.bin', {headers: {range: 'bytes=-100'}});
  out.range = [range.status, range.body.length];
  const post = await request('POST', '/form', {headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'a=1&a=2&b=x%20y'});
  out.form = JSON.parse(post.body.toString());
  const many = await Promise.all(Array.from({length: 12}, () => request('GET', '/slow')));
  out.concurrent = many.map((r) => r.status);
  out.missing = (await request('GET', '/nope')).status;
  agent.destroy();
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
