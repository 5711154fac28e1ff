//! Charts as inline SVG, drawn with exact decimal arithmetic.
//!
//! No floating point: every coordinate is a `Decimal`, computed from the
//! exact strings of the report and rounded to two places only when written.
//! The geometry is public so that tests can check it without parsing SVG.

use std::str::FromStr;

use maud::{html, Markup};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::report::{HistoryPoint, ThresholdKind, Thresholds};

/// A coordinate as SVG text: at most two decimal places, no trailing zeros.
pub fn coordinate(d: Decimal) -> String {
    let rounded = d
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    if rounded.is_zero() {
        "0".to_string()
    } else {
        rounded.to_string()
    }
}

/// An exact decimal string of the report (`89.42`, `-3`, `24500`).
pub fn parse(text: &str) -> Option<Decimal> {
    Decimal::from_str(text.trim()).ok()
}

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

/// Maps values onto a vertical span: the largest value to `top`, the
/// smallest to `bottom`; every value to the middle when they are all equal.
///
/// It works on quarters of the values, so that no subtraction can overflow
/// even between `Decimal::MIN` and `Decimal::MAX`.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    /// A quarter of the largest value.
    quarter_max: Decimal,
    /// A quarter of the distance between the largest and smallest values.
    quarter_span: Decimal,
    top: Decimal,
    bottom: Decimal,
}

fn quarter(d: Decimal) -> Decimal {
    d / dec(4)
}

impl Scale {
    /// `None` when there are no values.
    pub fn new(values: &[Decimal], top: Decimal, bottom: Decimal) -> Option<Scale> {
        let max = values.iter().copied().max()?;
        let min = values.iter().copied().min()?;
        Some(Scale {
            quarter_max: quarter(max),
            quarter_span: quarter(max) - quarter(min),
            top,
            bottom,
        })
    }

    pub fn y(&self, value: Decimal) -> Decimal {
        if self.quarter_span.is_zero() {
            return (self.top + self.bottom) / Decimal::TWO;
        }
        // How far below the largest value, times the height, over the span:
        // multiplying first keeps ordinary values exact; dividing first
        // keeps huge ones from overflowing.
        let below = self.quarter_max - quarter(value);
        let height = self.bottom - self.top;
        let offset = match below.checked_mul(height) {
            Some(product) => product / self.quarter_span,
            None => below / self.quarter_span * height,
        };
        self.top + offset
    }
}

/// The sparkline's size, in SVG user units (and CSS pixels).
pub const SPARK_WIDTH: i64 = 128;
pub const SPARK_HEIGHT: i64 = 36;
/// Room above and below the plotted values, so dots are not clipped.
pub const SPARK_PAD: i64 = 6;

/// A band of a sparkline: from `top` to `bottom` (y), over columns
/// `left`..`right` (x).
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Rect {
    pub left: Decimal,
    pub right: Decimal,
    pub top: Decimal,
    pub bottom: Decimal,
}

/// The geometry of a measure's trend: one column per period of its history.
#[derive(Clone, Debug)]
pub struct Spark {
    /// The width of one period's column.
    pub column: Decimal,
    /// Per period: the centre x of its column and the y of its actual.
    pub points: Vec<(Decimal, Option<Decimal>)>,
    /// Per period: the y of its target.
    pub targets: Vec<Option<Decimal>>,
    /// The green bands, merged across columns where they line up.
    pub green: Vec<Rect>,
    /// The amber bands, likewise.
    pub amber: Vec<Rect>,
    /// Which periods' actuals are provisional.
    pub provisional: Vec<bool>,
}

/// The values a history puts on its vertical scale: actuals, targets and
/// thresholds, so that the target line and the bands are always in view.
fn domain(history: &[HistoryPoint]) -> Vec<Decimal> {
    let mut values = Vec::new();
    for point in history {
        values.extend(point.actual.as_deref().and_then(parse));
        values.extend(point.target.as_deref().and_then(parse));
        if let Some(t) = &point.thresholds {
            for v in [
                &t.green,
                &t.amber,
                &t.green_low,
                &t.green_high,
                &t.amber_low,
                &t.amber_high,
            ] {
                values.extend(v.as_deref().and_then(parse));
            }
        }
    }
    values
}

/// A vertical range: top and bottom y.
type Span = (Decimal, Decimal);

/// Green and amber y ranges (top, bottom) of one period's thresholds; the
/// open side of a band runs to the edge of the chart.
fn bands(t: &Thresholds, scale: &Scale) -> (Vec<Span>, Vec<Span>) {
    let y = |v: &Option<String>| v.as_deref().and_then(parse).map(|d| scale.y(d));
    let (edge_top, edge_bottom) = (Decimal::ZERO, dec(SPARK_HEIGHT));
    let mut green = Vec::new();
    let mut amber = Vec::new();
    let push = |list: &mut Vec<Span>, a: Decimal, b: Decimal| {
        let (top, bottom) = if a <= b { (a, b) } else { (b, a) };
        if top < bottom {
            list.push((top, bottom));
        }
    };
    match t.kind {
        // Higher is better: green from the green threshold up, amber below it.
        ThresholdKind::AtLeast => {
            if let Some(g) = y(&t.green) {
                push(&mut green, edge_top, g);
                if let Some(a) = y(&t.amber) {
                    push(&mut amber, g, a);
                }
            }
        }
        // Lower is better: green from the green threshold down, amber above.
        ThresholdKind::AtMost => {
            if let Some(g) = y(&t.green) {
                push(&mut green, g, edge_bottom);
                if let Some(a) = y(&t.amber) {
                    push(&mut amber, a, g);
                }
            }
        }
        // A target band: green between, amber either side.
        ThresholdKind::Between => {
            if let (Some(high), Some(low)) = (y(&t.green_high), y(&t.green_low)) {
                push(&mut green, high, low);
                if let Some(a) = y(&t.amber_high) {
                    push(&mut amber, a, high);
                }
                if let Some(a) = y(&t.amber_low) {
                    push(&mut amber, low, a);
                }
            }
        }
    }
    (green, amber)
}

/// Adds a rectangle, widening the previous one instead when it lines up.
fn add_rect(rects: &mut Vec<Rect>, rect: Rect) {
    match rects
        .iter_mut()
        .find(|r| r.right == rect.left && r.top == rect.top && r.bottom == rect.bottom)
    {
        Some(r) => r.right = rect.right,
        None => rects.push(rect),
    }
}

/// The geometry of a history; `None` when it has no periods.
pub fn spark(history: &[HistoryPoint]) -> Option<Spark> {
    if history.is_empty() {
        return None;
    }
    let count = Decimal::from(history.len());
    let column = dec(SPARK_WIDTH) / count;
    let values = domain(history);
    let scale = Scale::new(&values, dec(SPARK_PAD), dec(SPARK_HEIGHT) - dec(SPARK_PAD));
    let mut spark = Spark {
        column,
        points: Vec::with_capacity(history.len()),
        targets: Vec::with_capacity(history.len()),
        green: Vec::new(),
        amber: Vec::new(),
        provisional: history.iter().map(|p| p.provisional).collect(),
    };
    for (i, point) in history.iter().enumerate() {
        let left = column * Decimal::from(i);
        let right = left + column;
        let centre = left + column / Decimal::TWO;
        let y = |v: &Option<String>| {
            let scale = scale.as_ref()?;
            v.as_deref().and_then(parse).map(|d| scale.y(d))
        };
        spark.points.push((centre, y(&point.actual)));
        spark.targets.push(y(&point.target));
        if let (Some(t), Some(scale)) = (&point.thresholds, &scale) {
            let (green, amber) = bands(t, scale);
            for (top, bottom) in green {
                add_rect(
                    &mut spark.green,
                    Rect {
                        left,
                        right,
                        top,
                        bottom,
                    },
                );
            }
            for (top, bottom) in amber {
                add_rect(
                    &mut spark.amber,
                    Rect {
                        left,
                        right,
                        top,
                        bottom,
                    },
                );
            }
        }
    }
    Some(spark)
}

impl Spark {
    fn rects_path(rects: &[Rect]) -> String {
        rects
            .iter()
            .map(|r| {
                format!(
                    "M{} {}H{}V{}H{}Z",
                    coordinate(r.left),
                    coordinate(r.top),
                    coordinate(r.right),
                    coordinate(r.bottom),
                    coordinate(r.left)
                )
            })
            .collect()
    }

    /// The green bands as one SVG path.
    pub fn green_path(&self) -> String {
        Spark::rects_path(&self.green)
    }

    pub fn amber_path(&self) -> String {
        Spark::rects_path(&self.amber)
    }

    /// The target: a level step across each period's column that has one.
    pub fn target_path(&self) -> String {
        let mut steps: Vec<Rect> = Vec::new();
        for (i, target) in self.targets.iter().enumerate() {
            if let Some(y) = *target {
                let left = self.column * Decimal::from(i);
                add_rect(
                    &mut steps,
                    Rect {
                        left,
                        right: left + self.column,
                        top: y,
                        bottom: y,
                    },
                );
            }
        }
        steps
            .iter()
            .map(|s| {
                format!(
                    "M{} {}H{}",
                    coordinate(s.left),
                    coordinate(s.top),
                    coordinate(s.right)
                )
            })
            .collect()
    }

    /// Runs of consecutive periods that have an actual, as indexes.
    pub fn runs(&self) -> Vec<Vec<usize>> {
        let mut runs: Vec<Vec<usize>> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        for (i, (_, y)) in self.points.iter().enumerate() {
            if y.is_some() {
                current.push(i);
            } else if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            runs.push(current);
        }
        runs
    }

    fn xy(&self, i: usize) -> String {
        let (x, y) = self.points[i];
        format!("{} {}", coordinate(x), coordinate(y.unwrap_or_default()))
    }

    /// The actuals: a line through each run of consecutive periods.
    pub fn line_path(&self) -> String {
        let mut d = String::new();
        for run in self.runs().iter().filter(|r| r.len() > 1) {
            for (k, &i) in run.iter().enumerate() {
                d.push(if k == 0 { 'M' } else { 'L' });
                d.push_str(&self.xy(i));
            }
        }
        d
    }

    /// Dotted links across missing periods, from the end of one run to the
    /// start of the next.
    pub fn gap_path(&self) -> String {
        self.runs()
            .windows(2)
            .map(|w| format!("M{}L{}", self.xy(w[0][w[0].len() - 1]), self.xy(w[1][0])))
            .collect()
    }

    /// The last period that has a figure.
    pub fn latest(&self) -> Option<usize> {
        self.points.iter().rposition(|(_, y)| y.is_some())
    }

    /// The periods drawn as dots: those with no neighbour to draw a line to,
    /// the provisional ones, and the latest with a figure.
    pub fn dots(&self) -> Vec<usize> {
        let latest = self.latest();
        let mut dots: Vec<usize> = self
            .runs()
            .iter()
            .filter(|r| r.len() == 1)
            .map(|r| r[0])
            .collect();
        for (i, (_, y)) in self.points.iter().enumerate() {
            if y.is_some() && (self.provisional[i] || Some(i) == latest) && !dots.contains(&i) {
                dots.push(i);
            }
        }
        dots.sort_unstable();
        dots
    }

    /// The time axis: a base line with a tick under each period.
    pub fn axis_path(&self) -> String {
        let base = dec(SPARK_HEIGHT) - Decimal::new(5, 1);
        let mut d = format!("M0 {}H{}", coordinate(base), SPARK_WIDTH);
        for (x, _) in &self.points {
            d.push_str(&format!(
                "M{} {}V{}",
                coordinate(*x),
                coordinate(base),
                SPARK_HEIGHT - 3
            ));
        }
        d
    }

    pub fn svg(&self, title: &str) -> Markup {
        let latest = self.latest();
        let (green, amber, target, gap, line) = (
            self.green_path(),
            self.amber_path(),
            self.target_path(),
            self.gap_path(),
            self.line_path(),
        );
        html! {
            svg.spark xmlns="http://www.w3.org/2000/svg" role="img" width=(SPARK_WIDTH) height=(SPARK_HEIGHT) viewBox=(format!("0 0 {SPARK_WIDTH} {SPARK_HEIGHT}")) {
                title { (title) }
                @if !green.is_empty() { path.g d=(green) {} }
                @if !amber.is_empty() { path.a d=(amber) {} }
                path.ax d=(self.axis_path()) {}
                @if !target.is_empty() { path.t d=(target) {} }
                @if !gap.is_empty() { path.gap d=(gap) {} }
                @if !line.is_empty() { path.l d=(line) {} }
                @for i in self.dots() {
                    @let (x, y) = self.points[i];
                    circle cx=(coordinate(x)) cy=(coordinate(y.unwrap_or_default())) r=(if Some(i) == latest { "2.5" } else { "2" })
                        class=[self.provisional[i].then_some("pv")] {}
                }
            }
        }
    }
}

/// The fill classes of the ratings, in the order green, amber, red, none.
const FILLS: [&str; 4] = ["f-green", "f-amber", "f-red", "f-none"];

/// Segments of a bar `width` wide, each as wide as its share of the total:
/// `(fill, x, width)`, skipping empty ones. Boundaries are rounded from the
/// running total so the segments meet exactly.
pub fn segments(counts: [usize; 4], width: i64) -> Vec<(&'static str, Decimal, Decimal)> {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return Vec::new();
    }
    let total = Decimal::from(total);
    let width = dec(width);
    let mut running = 0usize;
    let mut out = Vec::new();
    for (fill, count) in FILLS.iter().zip(counts) {
        let start = (Decimal::from(running) * width / total).round_dp(2);
        running += count;
        let end = (Decimal::from(running) * width / total).round_dp(2);
        if count > 0 {
            out.push((*fill, start, end - start));
        }
    }
    out
}

/// A stacked bar of green, amber, red and not rated counts.
pub fn stacked_bar(counts: [usize; 4], title: &str) -> Markup {
    const WIDTH: i64 = 160;
    const HEIGHT: i64 = 14;
    let segments = segments(counts, WIDTH);
    html! {
        svg.stack xmlns="http://www.w3.org/2000/svg" role="img" width=(WIDTH) height=(HEIGHT) viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) {
            title { (title) }
            @if segments.is_empty() {
                rect.empty x="0.5" y="0.5" width=(WIDTH - 1) height=(HEIGHT - 1) {}
            }
            @for (fill, x, w) in &segments {
                rect class=(fill) x=(coordinate(*x)) y="0" width=(coordinate(*w)) height=(HEIGHT) {}
            }
        }
    }
}

/// A bar chart of the four counts, one labelled bar each.
pub fn rating_bars(counts: [usize; 4], labels: [&str; 4], title: &str) -> Markup {
    const LABEL: i64 = 76;
    const BAR: i64 = 180;
    const ROW: i64 = 26;
    const THICK: i64 = 18;
    let width = LABEL + BAR + 44;
    let height = ROW * 4;
    let max = counts.iter().copied().max().unwrap_or(0);
    html! {
        svg.bars xmlns="http://www.w3.org/2000/svg" role="img" width=(width) height=(height) viewBox=(format!("0 0 {width} {height}")) {
            title { (title) }
            path.axis d=(format!("M{LABEL} 0V{height}")) {}
            @for (i, ((count, label), fill)) in counts.iter().zip(labels).zip(FILLS).enumerate() {
                @let top = dec(ROW * i as i64) + dec(ROW - THICK) / Decimal::TWO;
                @let length = if max == 0 { Decimal::ZERO } else { Decimal::from(*count) * dec(BAR) / Decimal::from(max) };
                @let middle = dec(ROW * i as i64) + dec(ROW) / Decimal::TWO;
                text.label x=(LABEL - 8) y=(coordinate(middle)) { (label) }
                @if *count > 0 {
                    rect class=(fill) x=(LABEL) y=(coordinate(top)) width=(coordinate(length)) height=(THICK) {}
                }
                text.count x=(coordinate(dec(LABEL + 6) + length)) y=(coordinate(middle)) { (count) }
            }
        }
    }
}

/// A milestone bar: one equal segment per milestone, filled by its state.
pub fn milestone_bar(states: &[&str], title: &str) -> Markup {
    const WIDTH: i64 = 160;
    const HEIGHT: i64 = 12;
    let n = Decimal::from(states.len().max(1));
    html! {
        svg.stack xmlns="http://www.w3.org/2000/svg" role="img" width=(WIDTH) height=(HEIGHT) viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) {
            title { (title) }
            @for (i, state) in states.iter().enumerate() {
                @let left = (Decimal::from(i) * dec(WIDTH) / n).round_dp(2);
                @let right = (Decimal::from(i + 1) * dec(WIDTH) / n).round_dp(2);
                rect class=(format!("ms-{state}")) x=(coordinate(left)) y="0" width=(coordinate(right - left)) height=(HEIGHT) {}
            }
        }
    }
}
