import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';

// only what the dashboards draw: bars, lines, a heatmap, on a canvas
echarts.use([BarChart, LineChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | VisualMapComponentOption
>;

/** A click on a data item: its category name and index. */
export interface ChartClick {
  name: string;
  dataIndex: number;
}

/** A small React wrapper over one ECharts instance: sized by its box, resized with it, disposed on unmount. */
export default function EChart({
  option,
  height = 320,
  onClick,
  onCategoryClick,
  testId,
}: {
  option: ChartOption;
  height?: number;
  /** a click on a data item (a bar, a point) */
  onClick?: (e: ChartClick) => void;
  /** a click anywhere in a category's band of the first grid: its index (drill-down by the whole column) */
  onCategoryClick?: (index: number) => void;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  const category = useRef(onCategoryClick);
  category.current = onCategoryClick;

  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => click.current?.({ name: String(p.name), dataIndex: p.dataIndex }));
    c.getZr().on('click', (e) => {
      const at = [e.offsetX, e.offsetY];
      if (!category.current || !c.containPixel('grid', at)) return;
      const [x] = c.convertFromPixel({ gridIndex: 0 }, at) as number[];
      if (x !== undefined && Number.isFinite(x)) category.current(Math.round(x));
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    // the page's font (Noto Sans SC) comes in unicode-range pieces loaded on first use: a canvas
    // does not redraw when they arrive, so ask for the glyphs of the chart's text, then draw again
    const fontFamily = getComputedStyle(document.body).fontFamily;
    const draw = () => c.isDisposed() || c.setOption({ ...option, textStyle: { fontFamily } }, { notMerge: true });
    draw();
    let live = true;
    document.fonts
      ?.load(`12px ${fontFamily}`, JSON.stringify(option))
      .then(() => live && draw())
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [option]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} />;
}
