/** 更新のご提案（日本語）。Only characters the embedded PDF font draws: no ≈ or ～ (約 instead). */
import type { OptionName, ScopeLine } from './proposal-content.ts';
import type { Formats, ProposalWords } from './proposal-templates.ts';

const TIERS = { good: 'スタンダード', better: 'ベター', best: 'ベスト' } as const;
const TIER_TEXT = {
  good: '現行条件での更新',
  better: '更新＋小規模な拡張',
  best: '更新＋全面的な拡張',
} as const;

function term(years: number): string {
  return `${years}年`;
}

function scopeLine(line: ScopeLine, f: Formats): string {
  switch (line.kind) {
    case 'subscription':
      return line.seats === null ? 'サブスクリプション' : `サブスクリプション（${f.count(line.seats)}席）`;
    case 'extra_seats':
      return `追加ライセンス（+${f.count(line.seats)}席）`;
    case 'extra_scope':
      return `利用範囲の拡大（+${f.bps(line.bps)}）`;
    case 'add_on':
      return line.seats === null ? line.label : `${line.label}（${f.count(line.seats)}席）`;
    case 'other':
      return line.label;
  }
}

function extraText(line: ScopeLine, f: Formats): string {
  if (line.kind === 'extra_seats') return `+${f.count(line.seats)}席`;
  if (line.kind === 'extra_scope') return `利用範囲+${f.bps(line.bps)}`;
  return line.kind === 'add_on' || line.kind === 'other' ? line.label : '';
}

function optionName(name: OptionName, f: Formats): string {
  switch (name.kind) {
    case 'package': {
      const extras = name.extras.map((line) => extraText(line, f)).filter(Boolean);
      const schedule =
        name.termYears > 1 && name.tier === 'best'
          ? name.schedule === 'fixed'
            ? '・価格固定'
            : '・段階的値上げ'
          : '';
      return `${TIERS[name.tier]}：${TIER_TEXT[name.tier]}${extras.length > 0 ? `（${extras.join('、')}）` : ''}${
        name.tier === 'good' ? '、1年、現行の利用範囲' : `、${term(name.termYears)}${schedule}`
      }${name.earlyBps > 0 ? `、早期更新割引${f.bps(name.earlyBps)}` : ''}`;
    }
    case 'uplift':
      return `1年更新、価格改定+${f.bps(name.upliftBps)}`;
    case 'volume':
      return `1年更新、${f.count(name.seats)}席（${name.change > 0 ? '+' : ''}${f.count(name.change)}）`;
    case 'early':
      return `早期更新、1年、${f.bps(name.earlyBps)}割引`;
    case 'multi_year': {
      const schedule =
        name.schedule === 'fixed'
          ? '価格固定'
          : `段階的値上げ（${name.stepsBps.map((bps, index) => `${index + 2}年目+${f.bps(bps)}`).join('、')}）`;
      return `${name.termYears}年契約、${schedule}${name.earlyBps > 0 ? `、早期更新割引${f.bps(name.earlyBps)}` : ''}`;
    }
    case 'other':
      return name.label;
  }
}

function shortName(name: OptionName): string {
  switch (name.kind) {
    case 'package':
      return TIERS[name.tier];
    case 'uplift':
      return '価格改定';
    case 'volume':
      return '席数変更';
    case 'early':
      return '早期更新';
    case 'multi_year':
      return `${name.termYears}年契約`;
    case 'other':
      return (name.label.split(/[:,]/)[0] ?? name.label).trim();
  }
}

export const JAPANESE_PROPOSAL: ProposalWords = {
  kicker: '契約更新のご提案',
  metaTitle: (account) => `契約更新のご提案 - ${account}`,
  metaSubject: (contractId, proposalId, version) =>
    `契約 ${contractId} の更新、ご提案 ${proposalId} 第${version}版`,
  subtitle: ({ prepared, forName, forRole, by, proposalId, version, contractId }) =>
    `${prepared}作成${forName ? `・${forName} 様${forRole ? `（${forRole}）` : ''}宛` : ''}${
      by ? `・担当 ${by}` : ''
    } · ご提案 ${proposalId}（第${version}版）· 契約 ${contractId}`,
  draftBanner: (reason) =>
    `下書き - ${reason === 'rejected' ? '社内で差し戻し' : '社内承認待ち'}。承認・送付されるまで正式なご提案ではありません。`,
  sections: {
    summary: 'エグゼクティブサマリー',
    value: 'これまでの成果',
    contract: '現在のご契約',
    options: 'ご提案プラン',
    expansion: 'オプションの拡張',
    nextSteps: '今後の進め方',
  },
  summary: (s) =>
    `現在のご契約${s.seats === null ? '' : `（${s.seats}席）`}は年額${s.arr}で、${s.endDate}まで有効です。${
      s.headline ? `${s.headline}。` : ''
    }${
      s.hoursPerYear && s.valuePerYear
        ? `チーム全体で年間約${s.hoursPerYear}時間、金額にして約${s.valuePerYear}の削減効果があると試算しています。`
        : ''
    }推奨プランは「${s.option}」です：${s.termYears === 1 ? `1年間で${s.perYear[0]}` : `${term(s.termYears)}間で${s.perYear.join('、')}`}、合計${s.total}（${s.discount}）。`,
  tiles: {
    recommended: '推奨プラン',
    yearOne: '初年度のご投資額',
    valuePerYear: '年間の効果',
    hoursSaved: (hours) => `${hours}時間の削減`,
    noUsageData: '利用データなし',
    notAvailable: '該当なし',
    returnOnYearOne: '初年度の投資効果',
    returnNote: '効果 ÷ 投資額',
    multiple: (value) => `${value}倍`,
  },
  term,
  fact: (fact, f) => {
    switch (fact.kind) {
      case 'seats_active':
        return `${f.date(fact.on)}時点で、ライセンス${f.count(fact.licensed)}席のうち${f.count(fact.active)}席が利用中（${f.percent(fact.pct)}）`;
      case 'active_users':
        return `${f.date(fact.on)}時点のアクティブユーザー数：${f.count(fact.active)}名`;
      case 'users_change':
        return fact.pct === 0
          ? `アクティブユーザー数は${f.date(fact.since)}以降横ばい`
          : `アクティブユーザー数は${f.date(fact.since)}から${f.percent(Math.abs(fact.pct))}${fact.pct > 0 ? '増加' : '減少'}${
              fact.from === null ? '' : `（${f.count(fact.from)}名から${f.count(fact.to)}名へ）`
            }`;
      case 'core_adoption':
        return `主要機能の活用率：${f.percent(fact.pct)}`;
      case 'support':
        return `過去12か月のサポート問い合わせ：${f.count(fact.tickets)}件${
          fact.csatTenths === null ? '' : `、平均満足度（CSAT）${f.tenths(fact.csatTenths)} / 5`
        }`;
      case 'nps':
        return `直近のNPS回答：${fact.score} / 10（${f.date(fact.on)}）`;
      case 'time_saved':
        return fact.valueMinor === null
          ? `週あたり約${f.tenths(fact.hoursPerWeekTenths)}時間の削減（年間${f.count(fact.hoursPerYear)}時間）`
          : `週あたり約${f.tenths(fact.hoursPerWeekTenths)}時間の削減、年間約${f.money(fact.valueMinor, { whole: true })}相当`;
    }
  },
  chart: {
    caption: (from, to) => `アクティブユーザー数（${from}〜${to}）`,
    peak: (value) => `最大 ${value}`,
  },
  roiHeading: '効果の試算方法',
  roiMethod: (r) =>
    `アクティブユーザー${r.users}名 × 1人あたり週${r.minutes}分の削減 = 週${r.hoursPerWeek}時間；× 年間稼働${r.weeks}週 = 年間${r.hoursPerYear}時間${
      r.hourlyCost && r.valuePerYear
        ? ` × 1時間あたりの人件費${r.hourlyCost} = 年間約${r.valuePerYear}。`
        : '。'
    }前提は控えめな標準値です。貴社の実数値に置き換えて再計算いたします。`,
  contract: {
    caption: '現在のご契約',
    contract: '契約番号',
    term: '契約期間',
    termRange: (from, to) => `${from}〜${to}`,
    annualValue: '年額',
    seats: 'ライセンス数',
    notSeatBased: '席数制ではありません',
    renewal: '更新方法',
    autoRenews: '解約のお申し出がない限り自動更新',
    renewsOnSignature: 'ご署名により更新',
  },
  options: {
    caption: 'ご提案プラン（年度別金額と契約総額）',
    option: 'プラン',
    year: (year) => `${year}年目`,
    total: '契約総額',
    vsList: '定価比',
    atList: '定価',
    recommended: (name) => `推奨 - ${name}`,
    note: (currency) =>
      `金額は${currency}建て、税別です。「定価比」は同じ期間・利用範囲の定価（毎年約5%上昇）との比較です。各年度の金額は一度だけ端数処理し、合計は各年度の合算です。複数年契約は、表示の固定価格による一括のご契約です。`,
    included: '推奨プランに含まれる特典',
    worth: (amount) => `${amount}相当`,
    specialTerms: '特約事項',
  },
  discount: (bps, f) =>
    bps === 0 ? '定価' : bps > 0 ? `定価より${f.bps(bps)}お得` : `定価より${f.bps(-bps)}高`,
  optionName,
  shortName,
  scopeLine,
  incentives: {
    'Quarterly payment at no surcharge': '四半期払い（手数料なし）',
    'Support tier upgrade for the term': '契約期間中のサポートプランのアップグレード',
    'Two live training sessions for new users': '新規ユーザー向けライブトレーニング2回',
    'Services credit': 'サービスクレジット',
  },
  expansion: {
    caption: 'オプションの拡張項目と導入効果',
    item: '項目',
    businessCase: '導入の効果',
    price: '初年度価格',
    case: (businessCase, f) => {
      switch (businessCase.kind) {
        case 'adoption':
          return `ライセンスの${f.percent(businessCase.seatAdoptionPct)}が利用中${
            businessCase.growthPct === null
              ? ''
              : `で、アクティブユーザーは直近の四半期で${f.percent(businessCase.growthPct)}増加しています`
          }。期中の追加発注なしで新しいチームにご利用いただけます。`;
        case 'headroom':
          return '期中の追加発注なしで、新しいチームや用途に対応できる余裕を確保します。';
        case 'extends_value':
          return '上記で確認された効果を、より多くのメンバーに広げます。';
      }
    },
  },
  timeline: {
    heading: 'スケジュール',
    by: '期日',
    step: '内容',
    steps: {
      'T-60': '成果のご報告と条件の事前協議',
      'T-45': 'ご提案の提出（社内承認済み）',
      'T-30': 'ご説明・ご質問・条件調整、ご署名日の決定',
      'T-14': '最終条件の確定、契約書を電子署名でお送りします',
      'T-7': 'ご署名',
      'T-0': '現契約の満了、翌日から新契約',
      sign: '更新契約へのご署名（上記価格はこの日まで有効です）',
      new_term: '新契約の開始（サービスは途切れません）',
    },
  },
  approvals: {
    heading: '社内承認',
    roles: {
      manager: 'マネージャー（提案全体）',
      finance: '財務（価格）',
      sales_leadership: '営業責任者（価格）',
      executive: '役員',
      legal: '法務（特約事項）',
    },
    status: (status, decidedOn) =>
      status === 'approved'
        ? `承認済み${decidedOn ? `（${decidedOn}）` : ''}`
        : status === 'rejected'
          ? '差し戻し'
          : '承認待ち',
  },
  contacts: {
    heading: 'ご連絡先',
    yourContact: '弊社担当',
    roles: {
      economic_buyer: '予算責任者',
      decision_maker: '意思決定者',
      executive_sponsor: 'エグゼクティブスポンサー',
      champion: '推進担当',
      procurement: '購買',
      legal: '法務',
      technical: '技術責任者',
      user: 'ユーザー',
    },
  },
  accept: {
    heading: 'お申し込み方法',
    text: (owner, validUntil) =>
      `ご希望のプランを${owner ? `${owner}` : '弊社担当'}までお知らせください。更新契約書を電子署名でお送りしますので、ご署名いただければお手続きは完了です。本提案の有効期限は${validUntil}です。`,
  },
  footer: (account, proposalId, version, date) =>
    `${account} · 契約更新のご提案 ${proposalId} 第${version}版 · ${date}`,
  page: (page, pages) => `${page} / ${pages} ページ`,
  missingGlyphs: (codePoints, placeholder) =>
    `ご注意：PDFのフォントで表示できない文字があるため「${placeholder}」で表示しています（${codePoints}）。HTML版では正しく表示されます。`,
};
