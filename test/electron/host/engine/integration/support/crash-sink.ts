/**
 * A loopback SMTP server for the crash test. Like test/electron/host/channels/support/smtp-sink.ts (counts and parses
 * arrivals, refuses chosen recipients with 550), but it survives clients that are SIGKILLed mid-transaction: such a
 * reset is emitted as an 'error' on the server, which the shared sink does not listen to (an uncaught exception).
 * A message counts as arrived only once its DATA completed; a transfer cut off by a kill is discarded by smtp-server.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface CrashSink {
  port: number;
  received: ParsedMail[];
  /** Connection errors seen (resets from killed clients). */
  connectionErrors: string[];
  close(): Promise<void>;
}

/**
 * `answerDelayMs`: how long the sink takes to answer a message it has received (its 250 after DATA), as a real mail
 * server does: a provider call then lasts at least that long, so a kill soon after it began lands inside it also on a
 * loaded machine. A function gets the message's arrival number (1 for the first) and may answer some slower.
 */
export async function startCrashSink(
  rejectRecipients: readonly string[],
  options: { answerDelayMs?: number | ((nth: number) => number) } = {},
): Promise<CrashSink> {
  const received: ParsedMail[] = [];
  const connectionErrors: string[] = [];
  const rejected = new Set(rejectRecipients.map((address) => address.toLowerCase()));
  const server = new SMTPServer({
    logger: false,
    closeTimeout: 2_000,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error('Mailbox unavailable: no such user here'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', () => undefined);
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            received.push(mail);
            const delay = options.answerDelayMs ?? 0;
            setTimeout(() => callback(), typeof delay === 'function' ? delay(received.length) : delay);
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
  });
  server.on('error', (error: Error & { code?: string }) => connectionErrors.push(error.code ?? error.message));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp-server did not report a TCP port');
  return { port: address.port, received, connectionErrors, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
