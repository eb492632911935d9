/**
 * Customer email texts per playbook template key and language (English, Japanese, German). Each
 * template gets the renewal's real numbers already formatted for the reader and returns a subject and
 * paragraphs; `compose-email.ts` turns them into text and HTML. A template key a policy invents that
 * is not listed here falls back to a neutral renewal reminder (it never blocks delivery).
 */
import type { Language } from './choose-language.ts';

export type CustomerFacts = {
  accountName: string;
  recipientName: string | null;
  /** The contract end date, formatted. */
  dueDate: string;
  /** The last day to cancel an auto-renewing contract, formatted; null without one. */
  noticeDeadline: string | null;
  /** The annual value, formatted in the contract currency. */
  arr: string;
  /** Calendar days from the send day to the end date. */
  daysLeft: number;
  usage: { activeUsers: number; licensedSeats: number | null; percent: number | null } | null;
  /** A one-click renewal link when the proposal flow provides one; otherwise customers reply. */
  renewUrl: string | null;
  senderName: string;
};

export type CustomerText = {
  subject: string;
  paragraphs: string[];
  action: { label: string; url: string } | null;
};

type Words = {
  greeting: (name: string | null) => string;
  closing: string;
  renewNow: string;
  replyToRenew: string;
  unsubscribe: string;
};

export const WORDS: Record<Language, Words> = {
  en: {
    greeting: (name) => (name ? `Hi ${name},` : 'Hello,'),
    closing: 'Best regards,',
    renewNow: 'Renew now',
    replyToRenew: 'To renew, simply reply "yes" to this email and we will take care of the rest.',
    unsubscribe: 'You receive this email about your subscription. Stop renewal reminders:',
  },
  ja: {
    greeting: (name) => (name ? `${name} 様` : 'ご担当者様'),
    closing: '今後ともよろしくお願いいたします。',
    renewNow: '今すぐ更新する',
    replyToRenew:
      '更新をご希望の場合は、このメールに「更新します」とご返信ください。以降のお手続きはこちらで行います。',
    unsubscribe: 'このメールはご契約に関するご案内です。更新のご案内メールの配信停止：',
  },
  de: {
    greeting: (name) => (name ? `Guten Tag ${name},` : 'Guten Tag,'),
    closing: 'Mit freundlichen Grüßen',
    renewNow: 'Jetzt verlängern',
    replyToRenew:
      'Zum Verlängern antworten Sie einfach mit „Ja“ auf diese E-Mail – um den Rest kümmern wir uns.',
    unsubscribe: 'Sie erhalten diese E-Mail zu Ihrem Abonnement. Erinnerungen zur Verlängerung abbestellen:',
  },
};

type Template = (facts: CustomerFacts) => CustomerText;

const plain = (subject: string, ...paragraphs: (string | null)[]): CustomerText => ({
  subject,
  paragraphs: paragraphs.filter((p): p is string => p !== null),
  action: null,
});

function withRenewAction(text: CustomerText, facts: CustomerFacts, language: Language): CustomerText {
  if (facts.renewUrl) return { ...text, action: { label: WORDS[language].renewNow, url: facts.renewUrl } };
  return { ...text, paragraphs: [...text.paragraphs, WORDS[language].replyToRenew] };
}

function usageLine(facts: CustomerFacts, language: Language): string | null {
  const usage = facts.usage;
  if (!usage) return null;
  const { activeUsers: active, licensedSeats: seats, percent } = usage;
  if (language === 'ja') {
    return seats
      ? `ご利用状況：ライセンス ${seats} 件のうち ${active} 名（${percent}%）の方に継続してご利用いただいています。`
      : `ご利用状況：${active} 名の方に継続してご利用いただいています。`;
  }
  if (language === 'de') {
    return seats
      ? `Ihr Nutzen im Überblick: ${active} von ${seats} lizenzierten Nutzern sind aktiv (${percent} %).`
      : `Ihr Nutzen im Überblick: ${active} Nutzer sind aktiv.`;
  }
  return seats
    ? `Your value summary: ${active} of your ${seats} licensed users are active (${percent}%).`
    : `Your value summary: ${active} users are active.`;
}

const TEMPLATES: Record<string, Record<Language, Template>> = {
  'renewal-heads-up': {
    en: (f) =>
      plain(
        `Your ${f.accountName} renewal is coming up on ${f.dueDate}`,
        `A friendly heads-up: your ${f.accountName} subscription (${f.arr} a year) renews on ${f.dueDate}, ${f.daysLeft} days from now.`,
        'There is nothing you need to do today. About a month before, we will send you a renewal proposal you can accept in one click.',
        'If anything has changed on your side (users, plan, or the people we should talk to), just reply to this email.',
      ),
    ja: (f) =>
      plain(
        `${f.accountName} 様 ご契約更新のお知らせ（${f.dueDate}）`,
        `いつもご利用いただきありがとうございます。${f.accountName} 様のご契約（年額 ${f.arr}）は ${f.dueDate} に更新日を迎えます（あと ${f.daysLeft} 日）。`,
        '現時点でお手続きは不要です。更新日の約1か月前に、ワンクリックで更新いただけるご提案をお送りします。',
        'ご利用人数やプラン、ご担当者に変更がございましたら、このメールにご返信ください。',
      ),
    de: (f) =>
      plain(
        `Ihre Verlängerung für ${f.accountName} steht am ${f.dueDate} an`,
        `eine kurze Vorabinformation: Ihr Abonnement für ${f.accountName} (${f.arr} pro Jahr) verlängert sich am ${f.dueDate}, in ${f.daysLeft} Tagen.`,
        'Heute ist nichts zu tun. Etwa einen Monat vorher senden wir Ihnen ein Verlängerungsangebot, das Sie mit einem Klick annehmen können.',
        'Wenn sich bei Ihnen etwas geändert hat – Nutzer, Tarif oder Ansprechpartner –, antworten Sie einfach auf diese E-Mail.',
      ),
  },
  'renewal-one-click': {
    en: (f) =>
      withRenewAction(
        plain(
          `Renew ${f.accountName} in one click`,
          `Your ${f.accountName} subscription ends on ${f.dueDate}. We have prepared your renewal on your current terms: ${f.arr} a year.`,
          usageLine(f, 'en'),
          'If you would like to change seats or terms, reply and we will adjust the proposal.',
        ),
        f,
        'en',
      ),
    ja: (f) =>
      withRenewAction(
        plain(
          `${f.accountName} 様 ご契約更新のご提案（ワンクリックで更新）`,
          `${f.accountName} 様のご契約は ${f.dueDate} に満了します。現在と同じ条件（年額 ${f.arr}）での更新をご用意しました。`,
          usageLine(f, 'ja'),
          'ライセンス数や条件の変更をご希望の場合も、お気軽にご返信ください。',
        ),
        f,
        'ja',
      ),
    de: (f) =>
      withRenewAction(
        plain(
          `${f.accountName} mit einem Klick verlängern`,
          `Ihr Abonnement für ${f.accountName} endet am ${f.dueDate}. Wir haben Ihre Verlängerung zu den bisherigen Konditionen vorbereitet: ${f.arr} pro Jahr.`,
          usageLine(f, 'de'),
          'Möchten Sie Lizenzen oder Konditionen ändern, antworten Sie uns; wir passen das Angebot an.',
        ),
        f,
        'de',
      ),
  },
  'renewal-follow-up': {
    en: (f) =>
      withRenewAction(
        plain(
          `Following up: your ${f.accountName} renewal on ${f.dueDate}`,
          `We wanted to follow up on the renewal proposal for ${f.accountName}. Your subscription ends on ${f.dueDate}, in ${f.daysLeft} days.`,
          `Renewal on your current terms: ${f.arr} a year.`,
          'Questions? Just reply; we are happy to help.',
        ),
        f,
        'en',
      ),
    ja: (f) =>
      withRenewAction(
        plain(
          `【ご確認のお願い】${f.accountName} 様 ご契約更新（${f.dueDate}）`,
          `先日お送りした ${f.accountName} 様のご契約更新のご提案について、ご確認いただけましたでしょうか。ご契約は ${f.dueDate} に満了します（あと ${f.daysLeft} 日）。`,
          `現在の条件での更新：年額 ${f.arr}`,
          'ご不明な点がございましたら、このメールにご返信ください。',
        ),
        f,
        'ja',
      ),
    de: (f) =>
      withRenewAction(
        plain(
          `Nachfrage: Ihre Verlängerung für ${f.accountName} am ${f.dueDate}`,
          `wir möchten kurz zu unserem Verlängerungsangebot für ${f.accountName} nachfragen. Ihr Abonnement endet am ${f.dueDate}, in ${f.daysLeft} Tagen.`,
          `Verlängerung zu den bisherigen Konditionen: ${f.arr} pro Jahr.`,
          'Fragen? Antworten Sie einfach auf diese E-Mail.',
        ),
        f,
        'de',
      ),
  },
  'renewal-final-reminder': {
    en: (f) =>
      withRenewAction(
        plain(
          `Final reminder: ${f.accountName} ends on ${f.dueDate}`,
          `This is a final reminder that your ${f.accountName} subscription ends on ${f.dueDate}, in ${f.daysLeft} days. To avoid any interruption, please confirm your renewal (${f.arr} a year) before then.`,
        ),
        f,
        'en',
      ),
    ja: (f) =>
      withRenewAction(
        plain(
          `【最終のご案内】${f.accountName} 様のご契約は ${f.dueDate} に満了します`,
          `${f.accountName} 様のご契約は ${f.dueDate}（あと ${f.daysLeft} 日）に満了します。サービスを中断なくご利用いただくため、それまでに更新（年額 ${f.arr}）のご確認をお願いいたします。`,
        ),
        f,
        'ja',
      ),
    de: (f) =>
      withRenewAction(
        plain(
          `Letzte Erinnerung: ${f.accountName} endet am ${f.dueDate}`,
          `dies ist eine letzte Erinnerung: Ihr Abonnement für ${f.accountName} endet am ${f.dueDate}, in ${f.daysLeft} Tagen. Damit es keine Unterbrechung gibt, bestätigen Sie bitte vorher Ihre Verlängerung (${f.arr} pro Jahr).`,
        ),
        f,
        'de',
      ),
  },
  'renewal-notice': {
    en: (f) =>
      plain(
        `Renewal notice: your ${f.accountName} subscription ends on ${f.dueDate}`,
        `This is formal notice that the ${f.accountName} subscription ends on ${f.dueDate}. Current annual value: ${f.arr}.`,
        'Over the coming weeks your account team will review the value delivered with you and share renewal options (one-, two- and three-year terms).',
        'Reply to this email to schedule the value review.',
      ),
    ja: (f) =>
      plain(
        `【ご契約更新のご通知】${f.accountName} 様のご契約は ${f.dueDate} に満了します`,
        `${f.accountName} 様のご契約が ${f.dueDate} に満了することをご通知いたします。現在の年間契約金額は ${f.arr} です。`,
        '今後数週間のうちに担当チームより、これまでの導入効果のご報告と更新プラン（1年・2年・3年）のご提案をさせていただきます。',
        'ご報告の日程調整は、このメールへのご返信で承ります。',
      ),
    de: (f) =>
      plain(
        `Verlängerungshinweis: Ihr Abonnement für ${f.accountName} endet am ${f.dueDate}`,
        `hiermit informieren wir Sie, dass das Abonnement für ${f.accountName} am ${f.dueDate} endet. Aktueller Jahreswert: ${f.arr}.`,
        'In den kommenden Wochen bespricht Ihr Account-Team mit Ihnen den erzielten Nutzen und stellt Ihnen Verlängerungsoptionen vor (Laufzeiten von einem, zwei und drei Jahren).',
        'Antworten Sie auf diese E-Mail, um einen Termin für das Gespräch zu vereinbaren.',
      ),
  },
  'auto-renewal-heads-up': {
    en: (f) =>
      plain(
        `Your ${f.accountName} subscription renews automatically on ${f.dueDate}`,
        `Your ${f.accountName} subscription (${f.arr} a year) renews automatically on ${f.dueDate}. There is nothing you need to do.`,
        f.noticeDeadline
          ? `If you do not want it to renew, please tell us by ${f.noticeDeadline}, the last day to cancel.`
          : 'If you do not want it to renew, reply to this email.',
      ),
    ja: (f) =>
      plain(
        `${f.accountName} 様のご契約は ${f.dueDate} に自動更新されます`,
        `${f.accountName} 様のご契約（年額 ${f.arr}）は ${f.dueDate} に自動更新されます。お手続きは不要です。`,
        f.noticeDeadline
          ? `更新を希望されない場合は、解約期限の ${f.noticeDeadline} までにご連絡ください。`
          : '更新を希望されない場合は、このメールにご返信ください。',
      ),
    de: (f) =>
      plain(
        `Ihr Abonnement für ${f.accountName} verlängert sich am ${f.dueDate} automatisch`,
        `Ihr Abonnement für ${f.accountName} (${f.arr} pro Jahr) verlängert sich am ${f.dueDate} automatisch. Sie müssen nichts tun.`,
        f.noticeDeadline
          ? `Wenn Sie nicht verlängern möchten, teilen Sie uns das bitte bis zum ${f.noticeDeadline} mit, dem letzten Kündigungstag.`
          : 'Wenn Sie nicht verlängern möchten, antworten Sie auf diese E-Mail.',
      ),
  },
  'auto-renewal-notice-value-summary': {
    en: (f) =>
      plain(
        `Renewal notice and your year in numbers: ${f.accountName}`,
        `Your ${f.accountName} subscription renews automatically on ${f.dueDate} at ${f.arr} a year.`,
        usageLine(f, 'en'),
        f.noticeDeadline
          ? `If you want to change or cancel, please tell us by ${f.noticeDeadline}.`
          : 'If you want to change anything, reply to this email.',
      ),
    ja: (f) =>
      plain(
        `ご契約更新のご通知とご利用状況のまとめ：${f.accountName} 様`,
        `${f.accountName} 様のご契約は ${f.dueDate} に年額 ${f.arr} で自動更新されます。`,
        usageLine(f, 'ja'),
        f.noticeDeadline
          ? `変更・解約をご希望の場合は ${f.noticeDeadline} までにご連絡ください。`
          : '変更をご希望の場合は、このメールにご返信ください。',
      ),
    de: (f) =>
      plain(
        `Verlängerungshinweis und Ihr Jahr in Zahlen: ${f.accountName}`,
        `Ihr Abonnement für ${f.accountName} verlängert sich am ${f.dueDate} automatisch zu ${f.arr} pro Jahr.`,
        usageLine(f, 'de'),
        f.noticeDeadline
          ? `Wenn Sie etwas ändern oder kündigen möchten, teilen Sie uns das bitte bis zum ${f.noticeDeadline} mit.`
          : 'Wenn Sie etwas ändern möchten, antworten Sie auf diese E-Mail.',
      ),
  },
  notice_deadline_reminder: {
    en: (f) =>
      plain(
        `Reminder: the last day to cancel ${f.accountName} is ${f.noticeDeadline ?? f.dueDate}`,
        `Your ${f.accountName} subscription renews automatically on ${f.dueDate} (${f.arr} a year). The last day to cancel or change it is ${f.noticeDeadline ?? f.dueDate}.`,
        'If you are happy to continue, there is nothing to do.',
      ),
    ja: (f) =>
      plain(
        `【ご案内】${f.accountName} 様のご契約の解約期限は ${f.noticeDeadline ?? f.dueDate} です`,
        `${f.accountName} 様のご契約は ${f.dueDate} に自動更新されます（年額 ${f.arr}）。解約・変更の期限は ${f.noticeDeadline ?? f.dueDate} です。`,
        '継続してご利用いただく場合、お手続きは不要です。',
      ),
    de: (f) =>
      plain(
        `Erinnerung: Kündigungsfrist für ${f.accountName} endet am ${f.noticeDeadline ?? f.dueDate}`,
        `Ihr Abonnement für ${f.accountName} verlängert sich am ${f.dueDate} automatisch (${f.arr} pro Jahr). Der letzte Tag für eine Kündigung oder Änderung ist der ${f.noticeDeadline ?? f.dueDate}.`,
        'Wenn Sie weitermachen möchten, müssen Sie nichts tun.',
      ),
  },
  'executive-outreach': {
    en: (f) =>
      plain(
        `${f.accountName}: a conversation about your goals for the next term`,
        `Your ${f.accountName} subscription ends on ${f.dueDate}. Before then, we would like to hear where we are falling short and agree on a plan to fix it, at the executive level.`,
        'Could we find 30 minutes in the next two weeks? Reply with a time that suits you.',
      ),
    ja: (f) =>
      plain(
        `${f.accountName} 様：次期ご契約に向けたご相談のお願い`,
        `${f.accountName} 様のご契約は ${f.dueDate} に満了します。それに先立ち、現在の課題を率直にお伺いし、改善に向けた計画を経営層レベルでご相談させていただきたく存じます。`,
        '今後2週間のうちに30分ほどお時間をいただけませんでしょうか。ご都合のよい日時をご返信ください。',
      ),
    de: (f) =>
      plain(
        `${f.accountName}: ein Gespräch über Ihre Ziele für die nächste Laufzeit`,
        `Ihr Abonnement für ${f.accountName} endet am ${f.dueDate}. Vorher möchten wir auf Führungsebene verstehen, wo wir Ihren Erwartungen nicht gerecht werden, und gemeinsam einen Plan vereinbaren.`,
        'Hätten Sie in den nächsten zwei Wochen 30 Minuten Zeit? Antworten Sie einfach mit einem passenden Termin.',
      ),
  },
};

const FALLBACK: Record<Language, Template> = {
  en: (f) =>
    plain(
      `About your ${f.accountName} renewal`,
      `Your ${f.accountName} subscription ends on ${f.dueDate} (${f.arr} a year). Reply to this email if you have any questions.`,
    ),
  ja: (f) =>
    plain(
      `${f.accountName} 様 ご契約更新について`,
      `${f.accountName} 様のご契約は ${f.dueDate} に満了します（年額 ${f.arr}）。ご不明な点がございましたら、このメールにご返信ください。`,
    ),
  de: (f) =>
    plain(
      `Zu Ihrer Verlängerung für ${f.accountName}`,
      `Ihr Abonnement für ${f.accountName} endet am ${f.dueDate} (${f.arr} pro Jahr). Bei Fragen antworten Sie einfach auf diese E-Mail.`,
    ),
};

export const CUSTOMER_TEMPLATE_KEYS = Object.keys(TEMPLATES);

export function customerText(template: string, language: Language, facts: CustomerFacts): CustomerText {
  return (TEMPLATES[template]?.[language] ?? FALLBACK[language])(facts);
}
