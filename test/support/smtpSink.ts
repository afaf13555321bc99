import net from 'node:net';

// A local SMTP server that accepts every message and keeps it, for tests: enough of RFC 5321 for
// a client that sends plain (no TLS, no auth). `fail` makes it refuse the next messages.
export type Received = { from: string; to: string[]; data: string };

export async function startSmtpSink() {
  const received: Received[] = [];
  let failing = 0;
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let msg: Received = { from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 sink.test ESMTP');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          msg.data = buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
          buffer = buffer.slice(end + 5);
          inData = false;
          if (failing > 0) {
            failing--;
            reply('451 try again later');
          } else {
            received.push(msg);
            reply('250 queued');
          }
          msg = { from: '', to: [], data: '' };
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') reply('250 sink.test');
        else if (cmd === 'MAIL') ((msg.from = line.slice(10).replace(/[<>]/g, '').split(' ')[0]!), reply('250 ok'));
        else if (cmd === 'RCPT') (msg.to.push(line.slice(8).replace(/[<>]/g, '').split(' ')[0]!), reply('250 ok'));
        else if (cmd === 'DATA') ((inData = true), reply('354 go ahead'));
        else if (cmd === 'QUIT') (reply('221 bye'), socket.end());
        else if (cmd === 'RSET' || cmd === 'NOOP') reply('250 ok');
        else reply('502 not implemented');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    fail: (n: number) => (failing = n),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
