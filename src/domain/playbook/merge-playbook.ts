/**
 * A workspace's playbook: the built-in library with the workspace's own edits laid over it. An edit
 * is stored under the built-in id and wins; a built-in nobody edited reads as version 0. Edits whose
 * built-in no longer exists are kept (the text is the workspace's own).
 */
import { PLAYBOOK_MILESTONES, type PlaybookEntry } from './default-playbook.ts';

/** A workspace's stored copy of one entry. */
export type PlaybookEdit = {
  entryId: string;
  kind: string;
  milestone: string | null;
  language: string;
  title: string;
  body: string;
  version: number;
  updatedBy: string | null;
  updatedAt: string | null;
};

export type LibraryEntry = {
  id: string;
  kind: string;
  milestone: string | null;
  language: string;
  title: string;
  body: string;
  automatedEmail: string | null;
  /** 0 = the built-in text; the stored copy's version otherwise. */
  version: number;
  /** True when the workspace's copy replaces the built-in text. */
  edited: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
};

export type PlaybookFilter = {
  milestone?: string | undefined;
  kind?: string | undefined;
  language?: string | undefined;
};

export function builtInEntry(entry: PlaybookEntry): LibraryEntry {
  return { ...entry, version: 0, edited: false, updatedBy: null, updatedAt: null };
}

function milestoneRank(milestone: string | null): number {
  const index = (PLAYBOOK_MILESTONES as readonly string[]).indexOf(milestone ?? '');
  return index === -1 ? PLAYBOOK_MILESTONES.length : index;
}

export function mergePlaybook({
  builtIns,
  edits,
  filter = {},
}: {
  builtIns: readonly PlaybookEntry[];
  edits: readonly PlaybookEdit[];
  filter?: PlaybookFilter;
}): LibraryEntry[] {
  const byId = new Map(edits.map((edit) => [edit.entryId, edit]));
  const merged: LibraryEntry[] = builtIns.map((builtIn) => {
    const edit = byId.get(builtIn.id);
    byId.delete(builtIn.id);
    if (!edit) return builtInEntry(builtIn);
    return {
      ...builtIn,
      milestone: edit.milestone,
      title: edit.title,
      body: edit.body,
      version: edit.version,
      edited: true,
      updatedBy: edit.updatedBy,
      updatedAt: edit.updatedAt,
    };
  });
  for (const orphan of [...byId.values()].sort((a, b) => a.entryId.localeCompare(b.entryId))) {
    merged.push({
      id: orphan.entryId,
      kind: orphan.kind,
      milestone: orphan.milestone,
      language: orphan.language,
      title: orphan.title,
      body: orphan.body,
      automatedEmail: null,
      version: orphan.version,
      edited: true,
      updatedBy: orphan.updatedBy,
      updatedAt: orphan.updatedAt,
    });
  }
  const order = new Map(merged.map((item, index) => [item.id, index]));
  return merged
    .filter(
      (item) =>
        (filter.milestone === undefined || item.milestone === filter.milestone) &&
        (filter.kind === undefined || item.kind === filter.kind) &&
        (filter.language === undefined || item.language === filter.language),
    )
    .sort(
      (a, b) =>
        milestoneRank(a.milestone) - milestoneRank(b.milestone) || order.get(a.id)! - order.get(b.id)!,
    );
}
