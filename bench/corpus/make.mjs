// Writes the pinned benchmark corpus (run once; the .http files are committed).
import { writeFileSync } from 'node:fs';

const crlf = (lines) => lines.map((l) => l + '\r\n').join('');
const browserGet = crlf([
  'GET /products/wireless-headphones?color=black&ref=homepage_banner HTTP/1.1',
  'Host: shop.example.com',
  'Connection: keep-alive',
  'sec-ch-ua: "Chromium";v="118", "Google Chrome";v="118", "Not=A?Brand";v="99"',
  'sec-ch-ua-mobile: ?0',
  'sec-ch-ua-platform: "Linux"',
  'Upgrade-Insecure-Requests: 1',
  'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36',
  'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8',
  'Sec-Fetch-Site: same-origin',
  'Accept-Encoding: gzip, deflate, br',
  'Accept-Language: en-US,en;q=0.9,de;q=0.8',
  'Cookie: session=8f14e45fceea167a5a36dedd4bea2543; csrftoken=c9f0f895fb98ab9159f51fd0297e236d; theme=dark; cart=3; _ga=GA1.2.1234567890.1700000000',
  '',
]);
const chunk = (n, c) => n.toString(16) + '\r\n' + c.repeat(n) + '\r\n';

const corpus = {
  'small-get': crlf(['GET / HTTP/1.1', 'Host: localhost', '']),
  'browser-get': browserGet,
  'post-1k': crlf(['POST /api/items HTTP/1.1', 'Host: api.example.com', 'Content-Type: application/json', 'Content-Length: 1024', '']) + 'j'.repeat(1024),
  'chunked-post': crlf(['POST /upload HTTP/1.1', 'Host: api.example.com', 'Content-Type: application/octet-stream', 'Transfer-Encoding: chunked', '']) +
    chunk(256, 'a') + chunk(256, 'b') + chunk(256, 'c') + chunk(256, 'd') + '0\r\nX-Checksum: 5d41402abc4b2a76\r\n\r\n',
  'pipelined-16': browserGet.repeat(16),
  'response-4k': crlf(['HTTP/1.1 200 OK', 'Date: Sat, 21 Nov 2026 12:00:00 GMT', 'Content-Type: text/html; charset=utf-8', 'Content-Length: 4096', 'Cache-Control: max-age=60', '']) + 'r'.repeat(4096),
};
for (const [name, text] of Object.entries(corpus)) writeFileSync(new URL(`${name}.http`, import.meta.url), Buffer.from(text, 'latin1'));
console.log('wrote', Object.keys(corpus).join(', '));
