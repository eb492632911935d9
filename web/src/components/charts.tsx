/** Charts built on @mantine/charts (recharts): the retention waterfall and ARR by category. */
import { BarChart } from '@mantine/charts';
import { Table, Text } from '@mantine/core';
import type { Schemas } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';

type Waterfall = Schemas['Waterfall'];

export function WaterfallChart({
  waterfall,
  currency,
  title,
}: {
  waterfall: Waterfall;
  currency: string;
  title: string;
}) {
  const { t, money } = useI18n();
  const steps = [
    { item: t('metrics.starting'), value: Number(waterfall.startingArr), color: 'blue.8', standalone: true },
    { item: t('metrics.churn'), value: -Number(waterfall.churnArr), color: 'red.9' },
    { item: t('metrics.contraction'), value: -Number(waterfall.contractionArr), color: '#a63c06' },
    { item: t('metrics.expansion'), value: Number(waterfall.expansionArr), color: '#1b6b2c' },
    { item: t('metrics.ending'), value: Number(waterfall.endingArr), color: 'teal.9', standalone: true },
  ];
  return (
    <figure style={{ margin: 0 }} aria-label={title} data-testid="waterfall">
      <BarChart
        h={240}
        data={steps}
        dataKey="item"
        type="waterfall"
        series={[{ name: 'value', label: t('common.arr'), color: 'blue.8' }]}
        valueFormatter={(value) => money(value, currency, { compact: true })}
        withLegend={false}
      />
      {/* The same numbers as a table, for screen readers and for reading exact values. */}
      <Table verticalSpacing={2} mt="xs">
        <caption style={{ position: 'absolute', left: -10000 }}>{title}</caption>
        <Table.Tbody>
          {steps.map((step) => (
            <Table.Tr key={step.item}>
              <Table.Th scope="row">
                <Text size="sm">{step.item}</Text>
              </Table.Th>
              <Table.Td ta="right">
                <Text size="sm" fw={step.standalone ? 700 : 400}>
                  {money(step.value, currency)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </figure>
  );
}

const CATEGORY_ORDER = ['commit', 'probable', 'upside', 'at_risk'] as const;
const CATEGORY_COLORS = {
  commit: 'teal.9',
  probable: 'blue.8',
  upside: 'violet.8',
  at_risk: 'red.9',
} as const;

export function CategoryTable({ forecast, testId }: { forecast: Schemas['Forecast']; testId?: string }) {
  const { t, money } = useI18n();
  return (
    <Table verticalSpacing={4} data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('common.category')}</Table.Th>
          <Table.Th ta="right">#</Table.Th>
          <Table.Th ta="right">{t('common.arr')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {CATEGORY_ORDER.map((category) => (
          <Table.Tr key={category} data-category={category}>
            <Table.Td>
              <Text size="sm" fw={600} c={CATEGORY_COLORS[category]}>
                {t(`category.${category}`)}
              </Text>
            </Table.Td>
            <Table.Td ta="right">{forecast.categories[category].renewals}</Table.Td>
            <Table.Td ta="right" data-testid={testId ? `${testId}-${category}` : undefined}>
              {money(forecast.categories[category].arr, forecast.currency)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
