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
import {
  cardEventPayload,
  enterChatPayload,
  feedbackPayload,
  imagePayload,
  textPayload,
  type Sender,
} from './payloads';
import { serveEncrypted } from './mediaServer';
import {
  type ClickHint,
  chatCardLines,
  eventReplyLines,
  imageLines,
  imagesOk,
  liveAnswer,
  stdoutOut,
  timingLines,
  updateCardLines,
} from './render';

function senderOf(args: ParsedArgs): Sender {
  return { userid: args.flags.get('user') ?? 'wecom-cli', chatid: args.flags.get('group') };
}

/**
 * How to click a card this command was shown: same URL, same sender and bot (never --token / --key,
 * which are secrets). `single` for replies that only come in a single chat (enter_chat).
 */
function clickHint(url: URL, args: ParsedArgs, single = false): ClickHint {
  const flags: string[] = [];
  for (const name of single ? ['user', 'bot'] : ['user', 'group', 'bot']) {
    const value = args.flags.get(name);
    if (value !== undefined) flags.push(`--${name}`, value);
  }
  return { url: url.href, flags };
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
  const quote = args.flags.get('quote');
  if (quote === '') throw new CliError('--quote needs the text of the quoted message');
  const sender = senderOf(args);
  await converse(url, creds, textPayload(text, sender, quote), sender, args);
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
  // A card that was the whole answer (§6.3) has no text to show.
  if (result.final.content !== '' || result.card === undefined) live.done(result.final);
  const lines = [
    ...imageLines(result.final),
    ...chatCardLines(result.card, clickHint(url, args)),
    ...timingLines(result),
  ];
  for (const line of lines) console.log(line);
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
  for (const line of eventReplyLines(reply, ms, clickHint(url, args, kind === 'enter_chat'))) console.log(line);
}

/** WeCom drops a template_card_event not answered within 5 s (§5.10). */
const CLICK_DEADLINE_MS = 5000;

/**
 * `click <url> <task_id> <event_key>`: a template_card_event (§5.10) as WeCom sends it when the user
 * clicks a card's button; the answer must be empty or an update_template_card of the same task_id (§6.5).
 */
async function clickCommand(args: ParsedArgs, creds: Credentials): Promise<void> {
  const url = requireUrl(args.positionals[0]);
  const [taskId, eventKey] = [args.positionals[1], args.positionals[2]];
  if (taskId === undefined || taskId === '' || eventKey === undefined || eventKey === '')
    throw new CliError(`click needs <task_id> <event_key>\n${USAGE}`);
  const cardType = args.flags.get('card-type') ?? 'button_interaction';
  if (cardType === '') throw new CliError('--card-type needs a card type, e.g. button_interaction');
  const payload = cardEventPayload(senderOf(args), { taskId, eventKey, cardType });
  const { reply, ms } = await postCallback(url, creds, payload);
  if (reply === undefined) {
    console.log(`empty reply (${ms} ms): the card stays as it is`);
  } else if (reply['response_type'] !== 'update_template_card') {
    console.log(`reply (${ms} ms):\n${JSON.stringify(reply, null, 2)}`);
    throw new CliError('a card click must be answered with an update_template_card or an empty reply (§6.5)');
  } else {
    for (const line of updateCardLines(reply, ms, clickHint(url, args))) console.log(line);
    const card = reply['template_card'] as Record<string, unknown> | undefined;
    if (typeof card !== 'object' || card === null) throw new CliError('the update_template_card has no template_card');
    if (card['task_id'] !== taskId)
      throw new CliError(
        `the updated card's task_id ${JSON.stringify(card['task_id'])} is not the clicked card's ${JSON.stringify(taskId)} (§6.5: it must be the same)`,
      );
  }
  if (ms > CLICK_DEADLINE_MS)
    console.log(`warning: answered in ${ms} ms; WeCom drops a click not answered within 5 s (§5.10)`);
}

const COMMANDS: Record<string, (args: ParsedArgs, creds: Credentials) => Promise<void>> = {
  verify: verifyCommand,
  chat: chatCommand,
  image: imageCommand,
  event: eventCommand,
  click: clickCommand,
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
