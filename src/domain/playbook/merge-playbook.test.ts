import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PLAYBOOK,
  PLAYBOOK_KINDS,
  PLAYBOOK_MILESTONES,
  type PlaybookEntry,
} from './default-playbook.ts';
import { mergePlaybook, type PlaybookEdit } from './merge-playbook.ts';

const builtIn = (
  id: string,
  milestone: PlaybookEntry['milestone'],
  kind: PlaybookEntry['kind'] = 'agenda',
) => ({
  id,
  kind,
  milestone,
  language: 'en' as const,
  title: `${id} title`,
  body: `${id} body`,
  automatedEmail: null,
});
const edit = (entryId: string, overrides: Partial<PlaybookEdit> = {}): PlaybookEdit => ({
  entryId,
  kind: 'agenda',
  milestone: 'T-60',
  language: 'en',
  title: `${entryId} edited`,
  body: 'our own words',
  version: 3,
  updatedBy: 'U-mgr',
  updatedAt: '2026-05-01T09:00:00.000Z',
  ...overrides,
});

describe('mergePlaybook', () => {
  const builtIns = [
    builtIn('b', 'T-30', 'objection'),
    builtIn('a', 'T-90'),
    builtIn('c', null),
    builtIn('d', 'T-30'),
  ];

  it('serves built-ins at version 0 until edited, ordered along the timeline', () => {
    const merged = mergePlaybook({ builtIns, edits: [] });
    expect(merged.map((item) => [item.id, item.version, item.edited])).toEqual([
      ['a', 0, false],
      ['b', 0, false],
      ['d', 0, false],
      ['c', 0, false],
    ]);
  });

  it('lets the workspace copy win, keeping the built-in kind and automated email', () => {
    const merged = mergePlaybook({ builtIns, edits: [edit('b', { milestone: 'T-14', kind: 'agenda' })] });
    const b = merged.find((item) => item.id === 'b')!;
    expect(b).toMatchObject({
      title: 'b edited',
      body: 'our own words',
      milestone: 'T-14',
      kind: 'objection',
      version: 3,
      edited: true,
      updatedBy: 'U-mgr',
    });
    expect(merged.map((item) => item.id)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('keeps an edit whose built-in is gone, after the built-ins of its milestone', () => {
    const merged = mergePlaybook({ builtIns, edits: [edit('retired', { milestone: 'T-30' })] });
    expect(merged.map((item) => item.id)).toEqual(['a', 'b', 'd', 'retired', 'c']);
    expect(merged.find((item) => item.id === 'retired')).toMatchObject({
      edited: true,
      automatedEmail: null,
    });
  });

  it('filters by milestone, kind and language after merging (an edit can move an entry; library order within a milestone)', () => {
    const edits = [edit('a', { milestone: 'T-30' })];
    expect(mergePlaybook({ builtIns, edits, filter: { milestone: 'T-30' } }).map((item) => item.id)).toEqual([
      'b',
      'a',
      'd',
    ]);
    expect(mergePlaybook({ builtIns, edits, filter: { kind: 'objection' } }).map((item) => item.id)).toEqual([
      'b',
    ]);
    expect(mergePlaybook({ builtIns, edits, filter: { language: 'ja' } })).toEqual([]);
  });
});

describe('the built-in library', () => {
  it('has unique ids, known kinds and milestones, and text in every entry', () => {
    const ids = DEFAULT_PLAYBOOK.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of DEFAULT_PLAYBOOK) {
      expect(PLAYBOOK_KINDS).toContain(item.kind);
      if (item.milestone !== null) expect(PLAYBOOK_MILESTONES).toContain(item.milestone);
      expect(item.title.length).toBeGreaterThan(5);
      expect(item.body.split('\n').length).toBeGreaterThan(2);
    }
  });

  it('covers the guide: both meeting agendas and the four standard objections, in English', () => {
    const english = DEFAULT_PLAYBOOK.filter((item) => item.language === 'en');
    const titles = (kind: string) => english.filter((item) => item.kind === kind).map((item) => item.title);
    expect(titles('agenda').join('|')).toMatch(/Value review/);
    expect(titles('agenda').join('|')).toMatch(/kickoff/i);
    const objections = titles('objection').join('|');
    for (const topic of [/price/i, /more time/i, /feature/i, /alternatives/i])
      expect(objections).toMatch(topic);
    expect(english.filter((item) => item.kind === 'email_template').map((item) => item.milestone)).toEqual(
      expect.arrayContaining(['T-60', 'T-30', 'T-14', 'T-7']),
    );
  });
});
