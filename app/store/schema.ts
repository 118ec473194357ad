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
];
