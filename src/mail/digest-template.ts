/**
 * The internal daily digest ("your renewals today") in the user's language: the alerts raised for
 * them since their last digest and their open tasks due today or overdue. Task titles and alert
 * messages are the engine's own (English) text; the frame around them is translated.
 */
import type { Language } from './choose-language.ts';

export type DigestFacts = {
  userName: string;
  /** The digest day, formatted. */
  day: string;
  alerts: { severity: string; message: string }[];
  tasks: { title: string; accountName: string; dueDate: string; overdue: boolean }[];
  tasksTotal: number;
  appUrl: string;
};

export type DigestText = {
  subject: string;
  intro: string;
  sections: { heading: string; lines: string[] }[];
  action: { label: string; url: string };
};

const WORDS: Record<
  Language,
  {
    subject: (day: string, tasks: number, alerts: number) => string;
    intro: (name: string, day: string) => string;
    alerts: string;
    tasks: string;
    overdue: string;
    more: (n: number) => string;
    open: string;
    severity: Record<string, string>;
  }
> = {
  en: {
    subject: (day, tasks, alerts) =>
      `Your renewals today (${day}): ${tasks} task${tasks === 1 ? '' : 's'}, ${alerts} alert${alerts === 1 ? '' : 's'}`,
    intro: (name, day) => `Good morning ${name}, here is your renewal work for ${day}.`,
    alerts: 'Alerts',
    tasks: 'Tasks due',
    overdue: 'overdue',
    more: (n) => `…and ${n} more`,
    open: 'Open Perennial',
    severity: { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW' },
  },
  ja: {
    subject: (day, tasks, alerts) => `本日の更新業務（${day}）：タスク ${tasks} 件、アラート ${alerts} 件`,
    intro: (name, day) => `${name} さん、${day} の更新業務のお知らせです。`,
    alerts: 'アラート',
    tasks: '期限のタスク',
    overdue: '期限超過',
    more: (n) => `ほか ${n} 件`,
    open: 'Perennial を開く',
    severity: { critical: '緊急', high: '高', medium: '中', low: '低' },
  },
  de: {
    subject: (day, tasks, alerts) =>
      `Ihre Verlängerungen heute (${day}): ${tasks} ${tasks === 1 ? 'Aufgabe' : 'Aufgaben'}, ${alerts} ${alerts === 1 ? 'Warnung' : 'Warnungen'}`,
    intro: (name, day) => `Guten Morgen ${name}, hier ist Ihre Verlängerungsarbeit für ${day}.`,
    alerts: 'Warnungen',
    tasks: 'Fällige Aufgaben',
    overdue: 'überfällig',
    more: (n) => `…und ${n} weitere`,
    open: 'Perennial öffnen',
    severity: { critical: 'KRITISCH', high: 'HOCH', medium: 'MITTEL', low: 'NIEDRIG' },
  },
};

export function digestText(language: Language, facts: DigestFacts): DigestText {
  const words = WORDS[language];
  const sections: DigestText['sections'] = [];
  if (facts.alerts.length > 0) {
    sections.push({
      heading: words.alerts,
      lines: facts.alerts.map((a) => `[${words.severity[a.severity] ?? a.severity}] ${a.message}`),
    });
  }
  if (facts.tasks.length > 0) {
    const lines = facts.tasks.map(
      (t) => `${t.dueDate}${t.overdue ? ` (${words.overdue})` : ''} · ${t.accountName} · ${t.title}`,
    );
    if (facts.tasksTotal > facts.tasks.length) lines.push(words.more(facts.tasksTotal - facts.tasks.length));
    sections.push({ heading: words.tasks, lines });
  }
  return {
    subject: words.subject(facts.day, facts.tasksTotal, facts.alerts.length),
    intro: words.intro(facts.userName, facts.day),
    sections,
    action: { label: words.open, url: facts.appUrl },
  };
}
