/**
 * A real SMTP server on loopback that counts and parses what arrives, rejects chosen recipients with 550,
 * and can require a login.
 */
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface SmtpSink {
  port: number;
  /** Every message that completed DATA, parsed. */
  received: ParsedMail[];
  /** Envelope recipients per accepted message, in arrival order. */
  envelopes: string[][];
  /** Every login attempt as the server received it (the password included: tests check who saw which password). */
  authAttempts: { user: string; pass: string; secure: boolean }[];
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  rejectRecipients?: string[];
  /** When set, the server requires AUTH and accepts only these credentials. */
  credentials?: { user: string; pass: string };
  /** Loopback address to listen on (default 127.0.0.1; Linux answers on all of 127.0.0.0/8). */
  host?: string;
  /** Port to listen on (default: any free one). */
  port?: number;
}

export const REJECT_TEXT = 'Mailbox unavailable: no such user here';

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const authAttempts: SmtpSink['authAttempts'] = [];
  const rejected = new Set((options.rejectRecipients ?? []).map((address) => address.toLowerCase()));
  const server = new SMTPServer({
    logger: false,
    // A client that forgot to close would otherwise hold close() for the 30 s default.
    closeTimeout: 2_000,
    authOptional: !options.credentials,
    allowInsecureAuth: true,
    disabledCommands: options.credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    onAuth(auth, session, callback) {
      authAttempts.push({ user: auth.username ?? '', pass: auth.password ?? '', secure: session.secure });
      const creds = options.credentials;
      if (creds && auth.username === creds.user && auth.password === creds.pass) {
        callback(null, { user: auth.username });
        return;
      }
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error(REJECT_TEXT), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            received.push(mail);
            envelopes.push(session.envelope.rcptTo.map((rcpt) => rcpt.address));
            callback();
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  // A client that dies mid-message resets its connection; that is the client's story, not a test failure.
  const connectionErrors: Error[] = [];
  server.on('error', (error: Error) => connectionErrors.push(error));
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp-server did not report a TCP port');
  return {
    port: address.port,
    received,
    envelopes,
    authAttempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 that nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** Accepts TCP connections and never says a word: what a firewall black hole or a wrong service looks like. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** What a scripted server does once a message's final "." has arrived, or `hangUpAtData` when the client says DATA. */
export type AfterData = 'hangUp' | 'hangUpAtData' | { reply: string };

/**
 * A bare SMTP server that takes every command and then treats the end of a message as told: hangs up without a word
 * (the server has the whole message, the client never learns its fate) or replies with the given line.
 */
export async function startScriptedServer(afterData: AfterData): Promise<{ port: number; messagesEnded: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let ended = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write('220 scripted ESMTP\r\n');
    let inData = false;
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        if (inData) {
          if (line !== '.') continue;
          inData = false;
          ended += 1;
          if (typeof afterData === 'object') socket.write(`${afterData.reply}\r\n`);
          else socket.destroy();
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-scripted\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA' && afterData === 'hangUpAtData') socket.destroy();
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP port');
  return {
    port: address.port,
    messagesEnded: () => ended,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
