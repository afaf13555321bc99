-- Staff corrections of the classifier's labels (issue 5). One row per change, never updated: who
-- changed what, when, and what it was before. The labels shown and counted are the classifier's
-- with the latest correction per field applied, so a re-classification never undoes a person.
create table label_corrections (
  id bigint generated always as identity primary key,
  mention_id bigint not null references mentions (id) on delete cascade,
  -- why: the actor's e-mail stays with the correction when the user account is removed.
  user_id bigint references users (id) on delete set null,
  actor text not null,
  field text not null check (field in ('sentiment', 'personal_data', 'shaming', 'threat', 'inaccuracy')),
  -- a sentiment label, or 'present' / 'absent' for a risk type
  value text not null check (value in ('positive', 'neutral', 'negative', 'present', 'absent')),
  previous text,
  classifier text,
  created_at timestamptz not null default now(),
  check ((field = 'sentiment') = (value in ('positive', 'neutral', 'negative')))
);
create index label_corrections_mention_idx on label_corrections (mention_id, field, id desc);
create index label_corrections_user_id_idx on label_corrections (user_id);

-- why: the detail view shows which words made a mention positive or negative, not just a score.
alter table classifications add column sentiment_evidence jsonb not null default '[]';
