/** The sequence chart (lazy chunk with the Timeline panel). */
export { SequenceChart, type SequenceChartProps } from '../../diagrams/SequenceChart.tsx';
