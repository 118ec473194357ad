/**
 * Command-line WeCom simulator for ops: `npm run wecom -- <command> [flags]`. Signs and encrypts
 * exactly as WeCom does (wecom-aibot-protocol.md §2–§5) with the gateway's own credentials, and
 * checks every reply. Exit code 0 on success, 1 on any failure. Never prints the token or key.
 */
import 'dotenv/config';
import {
  type Credentials,
  USAGE,
  intervalMs,
  parseArgs,
  requireUrl,
  resolveCredentials,
  type ParsedArgs,
} from './args';
import { postCallback, verifyUrl } from './callbacks';
import { runChat } from './chat';
import { CliError } from './errors';
import { enterChatPayload, feedbackPayload, imagePayload, textPayload, type Sender } from './payloads';
import { serveEncrypted } from './mediaServer';
import { imageLines, imagesOk, liveAnswer, stdoutOut, timingLines } from './render';

function senderOf(args: ParsedArgs): Sender {
  return { userid: args.flags.get('user') ?? 'wecom-cli', chatid: args.flags.get('group') };
}

async function verifyCommand(args: ParsedArgs, creds: Credentials): Promise<void> {
  const url = requireUrl(args.positionals[0]);
  const ms = await verifyUrl(url, creds);
  console.log(`OK: URL verification succeeded in ${ms} ms`);
}

async function chatCommand(args: ParsedArgs, creds: Credentials): Promise<void> {
  const url = requireUrl(args.positionals[0]);
  const text = args.positionals[1];
  if (text === undefined || text === '') throw new CliError(`chat needs a message text\n${USAGE}`);
  const sender = senderOf(args);
  await converse(url, creds, textPayload(text, sender), sender, args);
}

/** Sends the first message, polls like WeCom, prints the growing answer, the images and the timings. */
async function converse(
  url: URL,
  creds: Credentials,
  message: Record<string, unknown>,
  sender: Sender,
  args: ParsedArgs,
): Promise<void> {
  const live = liveAnswer(stdoutOut());
  const result = await runChat(url, creds, message, sender, {
    intervalMs: intervalMs(args.flags),
    onSnapshot: (r) => live.update(r),
  });
  live.done(result.final);
  for (const line of [...imageLines(result.final), ...timingLines(result)]) console.log(line);
  if (!imagesOk(result.final)) throw new CliError('some images of the final reply are broken (see above)');
}

/**
 * `image <url> <file>`: serves the file encrypted like WeCom's media (§10) from a short-lived local
 * server (127.0.0.1 unless --serve-host says where the gateway can reach this machine), sends an image
 * message pointing at it, and follows the answer like `chat`.
 */
async function imageCommand(args: ParsedArgs, creds: Credentials): Promise<void> {
  const url = requireUrl(args.positionals[0]);
  const file = args.positionals[1];
  if (file === undefined || file === '') throw new CliError(`image needs a file\n${USAGE}`);
  const media = await serveEncrypted(file, creds.aesKey, args.flags.get('serve-host') ?? '127.0.0.1');
  try {
    const sender = senderOf(args);
    await converse(url, creds, imagePayload(media.url, sender), sender, args);
  } finally {
    await media.close();
  }
}

async function eventCommand(args: ParsedArgs, creds: Credentials): Promise<void> {
  const url = requireUrl(args.positionals[0]);
  const kind = args.positionals[1];
  let payload: Record<string, unknown>;
  if (kind === 'enter_chat') {
    payload = enterChatPayload(args.flags.get('user') ?? 'wecom-cli');
  } else if (kind === 'feedback') {
    const [id, rating] = [args.positionals[2], args.positionals[3]];
    if (id === undefined || rating === undefined)
      throw new CliError(`event feedback needs <feedbackId> like|dislike|cancel\n${USAGE}`);
    payload = feedbackPayload(senderOf(args), id, rating);
  } else {
    throw new CliError(`event must be enter_chat or feedback (got ${kind ?? 'nothing'})\n${USAGE}`);
  }
  const { reply, ms } = await postCallback(url, creds, payload);
  console.log(reply === undefined ? `empty reply (${ms} ms)` : `reply (${ms} ms):\n${JSON.stringify(reply, null, 2)}`);
}

const COMMANDS: Record<string, (args: ParsedArgs, creds: Credentials) => Promise<void>> = {
  verify: verifyCommand,
  chat: chatCommand,
  image: imageCommand,
  event: eventCommand,
};

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    const command = COMMANDS[args.command];
    if (command === undefined) throw new CliError(`unknown command ${args.command}\n${USAGE}`);
    await command(args, resolveCredentials(args.flags, process.env));
    return 0;
  } catch (err) {
    const message =
      err instanceof CliError
        ? err.message
        : `unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    console.error(`error: ${message}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
