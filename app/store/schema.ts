import type { Migration } from './migrations';

/**
 * The schema, as migrations applied in order at startup (migrations.ts). Append new versions; never
 * edit one that has shipped: databases that applied it will not run it again.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'conversations, msgid claims, streams, message log',
    sql: `
-- Dify conversation id per chat scope (conversation service builds the key).
CREATE TABLE conversations (
  key text PRIMARY KEY,
  agent_id text NOT NULL,
  dify_user text NOT NULL,
  conversation_id text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Dedupe of WeCom callbacks by msgid: the first claim wins the stream.
CREATE TABLE msgid_claims (
  key text PRIMARY KEY,
  stream_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Stream state shared by instances: any instance can answer a poll; the owner writes and beats.
CREATE TABLE streams (
  id text PRIMARY KEY,
  msgid text NOT NULL,
  bot_key text NOT NULL,
  aibotid text NOT NULL,
  userid text NOT NULL,
  chatid text,
  chattype text NOT NULL,
  response_url text,
  received_at timestamptz NOT NULL,
  content text NOT NULL,
  finish boolean NOT NULL DEFAULT false,
  image_count integer NOT NULL DEFAULT 0,
  owner_instance text NOT NULL,
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX streams_running_by_owner ON streams (owner_instance) WHERE NOT finish;
CREATE INDEX streams_updated_at ON streams (updated_at);
CREATE TABLE stream_images (
  stream_id text NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
  position integer NOT NULL,
  base64 text NOT NULL,
  md5 text NOT NULL,
  PRIMARY KEY (stream_id, position)
);
-- One row per answered message: the message log.
CREATE TABLE messages (
  stream_id text PRIMARY KEY,
  msgid text NOT NULL,
  bot_key text NOT NULL,
  aibotid text NOT NULL,
  userid text NOT NULL,
  chatid text,
  chattype text NOT NULL,
  msgtype text NOT NULL,
  agent_id text,
  query text,
  received_at timestamptz NOT NULL,
  first_token_ms integer,
  finished_at timestamptz,
  duration_ms integer,
  status text NOT NULL,
  cause text,
  answer text,
  answer_bytes integer,
  images integer,
  delivery text
);
-- Retention deletes by age.
CREATE INDEX messages_received_at ON messages (received_at);
CREATE INDEX conversations_updated_at ON conversations (updated_at);
CREATE INDEX msgid_claims_created_at ON msgid_claims (created_at);
`,
  },
  {
    version: 2,
    name: 'message log: Dify message id and user, for feedback',
    sql: `
-- feedback_event (wecom-aibot-protocol.md §5.10) is forwarded to Dify's POST /messages/{id}/feedbacks
-- with the same user that received the answer (dify-api.md §6.7).
ALTER TABLE messages ADD COLUMN dify_message_id text;
ALTER TABLE messages ADD COLUMN dify_user text;
`,
  },
  {
    version: 3,
    name: 'access rules kept in the store',
    sql: `
-- Allow and deny lists per agent (issue #6 scope 4), next to the ones in the environment; ops manage
-- rows with SQL, every instance reloads them every 30 s. rule: allow_user, deny_user, allow_chat, deny_chat.
CREATE TABLE access_rules (
  agent_id text NOT NULL,
  rule text NOT NULL CHECK (rule IN ('allow_user', 'deny_user', 'allow_chat', 'deny_chat')),
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, rule, value)
);
`,
  },
  {
    version: 4,
    name: 'people in the loop: requests, replies, comment waits, task syncs, API keys, operators, settings',
    sql: `
-- What an agent asked a person (hil.md §2, issue #13). id is ours; the client's ids are unique per API
-- key (owner) and platform. Every status change is an UPDATE ... WHERE status IN ('pending','inprogress').
CREATE TABLE hil_requests (
  id uuid PRIMARY KEY,
  owner text NOT NULL,
  platform text NOT NULL,
  conversation_id text NOT NULL,
  request_id text NOT NULL,
  task_id text NOT NULL,
  loop_type text NOT NULL CHECK (loop_type IN ('approval', 'information', 'conversation')),
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'error', 'completed', 'inprogress', 'cancelled')),
  context jsonb NOT NULL,
  metadata jsonb NOT NULL,
  response jsonb,
  feedback jsonb,
  responded_by text,
  responded_at timestamptz,
  bot_key text NOT NULL,
  chattype text NOT NULL CHECK (chattype IN ('single', 'group')),
  chatid text NOT NULL,
  approvers jsonb NOT NULL,
  delivery text NOT NULL CHECK (delivery IN ('queued', 'delivered')),
  card_task_id text,
  short_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (owner, platform, conversation_id, request_id)
);
-- [#short_id] names one open request; a closed one gives its id back.
CREATE UNIQUE INDEX hil_requests_open_short_id ON hil_requests (short_id) WHERE status IN ('pending', 'inprogress');
CREATE UNIQUE INDEX hil_requests_card_task ON hil_requests (bot_key, card_task_id) WHERE card_task_id IS NOT NULL;
CREATE INDEX hil_requests_open_chat ON hil_requests (bot_key, chatid) WHERE status IN ('pending', 'inprogress');
CREATE INDEX hil_requests_open_expiry ON hil_requests (expires_at) WHERE status IN ('pending', 'inprogress');
CREATE INDEX hil_requests_conversation ON hil_requests (owner, platform, conversation_id);
CREATE INDEX hil_requests_created_at ON hil_requests (created_at);
-- Every reply a person gave, once per WeCom msgid (a conversation has several).
CREATE TABLE hil_replies (
  request_id uuid NOT NULL REFERENCES hil_requests (id) ON DELETE CASCADE,
  msgid text NOT NULL,
  userid text NOT NULL,
  text text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (request_id, msgid)
);
-- After 填写意见 the person's next message in that chat is the comment, until wait_until.
CREATE TABLE hil_comment_waits (
  bot_key text NOT NULL,
  chatid text NOT NULL,
  userid text NOT NULL,
  request_id uuid NOT NULL REFERENCES hil_requests (id) ON DELETE CASCADE,
  draft text,
  wait_until timestamptz NOT NULL,
  PRIMARY KEY (bot_key, chatid, userid)
);
-- GoHumanLoopManager's tasks/sync documents (hil.md §2.7), replaced whole like the hub does.
CREATE TABLE hil_task_syncs (
  owner text NOT NULL,
  task_id text NOT NULL,
  document jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (owner, task_id)
);
-- API keys made through the admin API; only a SHA-256 of the key is kept.
CREATE TABLE hil_api_keys (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  key_hash text NOT NULL UNIQUE,
  key_prefix text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_by text,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
-- Operators of the admin API; passwords as scrypt hashes.
CREATE TABLE operators (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  full_name text,
  password_hash text NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  is_superuser boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL
);
-- Values the process generates once and every instance shares (SECRET_KEY when unset).
CREATE TABLE settings (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 5,
    name: 'per-user admission counted across instances; req_id of long-connection streams',
    sql: `
-- The rate limit and the running-turn cap of a user (issue #14 scope 5), one row per user (bot:userid)
-- so that one INSERT ... ON CONFLICT DO UPDATE checks and takes both atomically: the row lock orders
-- concurrent messages of the user from every instance. sent_ms: when admitted messages arrived in the
-- last minute (ms since epoch). running: turn (stream) id -> [instance id, started ms]; entries older
-- than a turn can last are ignored, and an instance's own are removed when it starts and stops.
-- verdict: the last check's outcome, written with the row so the statement can return it.
CREATE TABLE user_admission (
  user_key text PRIMARY KEY,
  sent_ms bigint[] NOT NULL,
  running jsonb NOT NULL,
  verdict text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_admission_updated_at ON user_admission (updated_at);
-- The req_id of the long-connection message a stream answers (wecom-aibot-protocol.md §12): the next
-- holder of the bot's lease finishes a stream whose instance died with it.
ALTER TABLE streams ADD COLUMN req_id text;
`,
  },
  {
    version: 6,
    name: 'message log by chat: a people-in-the-loop chat_id names a group or a user',
    sql: `
-- hil-mcp's chat_id (issue #15) is a group's chatid or a userid; the groups a bot has seen say which.
CREATE INDEX messages_group_chat ON messages (chatid, bot_key) WHERE chatid IS NOT NULL;
`,
  },
  {
    version: 7,
    name: 'people in the loop: interaction batches (pause, persist, resume) and their webhook deliveries',
    sql: `
-- A Bridgic InteractionException posted to /api/hil/v1/interactions (hil.md §5.3, issue #15 scope 3): the
-- snapshot the app resumes from, and the webhook told once every interaction is answered. One batch per
-- owner and set of interaction ids (fingerprint), so a retried POST finds its batch. delivery: none (no
-- callback_url), pending, delivered, failed (attempts used up), superseded (a newer batch re-raised one of
-- its interactions), abandoned (expired or cancelled before it was ready). A sender claims a delivery with
-- claim_token until claimed_until (a conditional UPDATE): one instance sends it, a dead one's claim lapses.
CREATE TABLE hil_batches (
  id uuid PRIMARY KEY,
  owner text NOT NULL,
  fingerprint text NOT NULL,
  snapshot bytea,
  snapshot_version text,
  callback_url text,
  callback_secret text,
  delivery text NOT NULL CHECK (delivery IN ('none', 'pending', 'delivered', 'failed', 'superseded', 'abandoned')),
  delivery_id uuid NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  claim_token uuid,
  claimed_until timestamptz,
  last_error text,
  delivered_at timestamptz,
  superseded_by uuid,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (owner, fingerprint)
);
CREATE INDEX hil_batches_delivery_pending ON hil_batches (created_at) WHERE delivery = 'pending';
-- The interactions of a batch in the order posted; a re-raised interaction links its existing request.
-- request_id has no foreign key: retention ages requests and batches out on its own schedule, and a
-- request that is gone reads as not answered (the batch is expired), never as fewer interactions.
CREATE TABLE hil_batch_items (
  batch_id uuid NOT NULL REFERENCES hil_batches (id) ON DELETE CASCADE,
  position integer NOT NULL,
  interaction_id text NOT NULL,
  request_id uuid NOT NULL,
  event jsonb NOT NULL,
  PRIMARY KEY (batch_id, position)
);
CREATE INDEX hil_batch_items_request ON hil_batch_items (request_id);
`,
  },
  {
    version: 8,
    name: 'people in the loop: Dify Human Input forms answered in the chat, submitted once',
    sql: `
-- A Dify form shown as a request (issue #15 scope 4; docs/dify-human-input.md): once the request is
-- answered or expired, one instance claims the row (state waiting -> submitting) and submits the form;
-- a claim older than five minutes may be taken again (the instance died). The form itself (token, actions,
-- run id, Dify user) is in the request's metadata.
CREATE TABLE dify_forms (
  request_id uuid PRIMARY KEY REFERENCES hil_requests (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('waiting', 'submitting', 'submitted', 'expired', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  claimed_at timestamptz,
  updated_at timestamptz NOT NULL
);
CREATE INDEX dify_forms_unsettled ON dify_forms (updated_at) WHERE state IN ('waiting', 'submitting');
`,
  },
  {
    version: 9,
    name: 'people in the loop: formal WeCom approvals (审批) filed for requests',
    sql: `
-- A request routed to WeCom's 审批 app (issue #16, hil.md §3.4): the approval filed for it (sp_no, unique:
-- callbacks name it) and the last SpStatus applied, so a repeated sys_approval_change applies nothing twice.
-- state: filing (applyevent under way), open (waiting for the approver), closed (a final status was seen,
-- or the request closed here), failed (WeCom refused it).
CREATE TABLE hil_oa_approvals (
  request_id uuid PRIMARY KEY REFERENCES hil_requests (id) ON DELETE CASCADE,
  sp_no text UNIQUE,
  template_id text NOT NULL,
  approvers jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('filing', 'open', 'closed', 'failed')),
  last_status integer,
  polled_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- The healing poll reads the open ones, least recently polled first.
CREATE INDEX hil_oa_approvals_open ON hil_oa_approvals (polled_at NULLS FIRST) WHERE state = 'open';
`,
  },
];
