//! The rating rules of language version 1, one boundary at a time: the
//! `red beyond` rule and its scoping, months, calendar and academic years,
//! the year start as a real date, year-to-date measures and digit ids.
//! (The band arithmetic of `red beyond` is in the table of tests/ratings.rs.)

use perfcard::check_files;
use perfcard::diagnostic::Code;
use perfcard::period::Period;
use perfcard::report::{self, MeasureReport, Report};
use perfcard::Checked;

fn checked(text: &str) -> Checked {
    let (_, checked) = check_files(&[("card.perf", text)]).unwrap();
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| &d.message)
        .collect();
    assert!(errors.is_empty(), "errors in\n{text}\n{errors:?}");
    checked
}

fn report_of(text: &str, period: &str) -> Report {
    let checked = checked(text);
    let period = period.parse::<Period>().unwrap();
    report::build(&checked.model, period)
}

fn measure<'r>(report: &'r Report, id: &str) -> &'r MeasureReport {
    report.measures.iter().find(|m| m.id == id).unwrap()
}

/// (rating, data period, actual) of measure `id` at `period`.
fn rated(text: &str, period: &str, id: &str) -> (String, String, Option<String>) {
    let report = report_of(text, period);
    let m = measure(&report, id);
    (
        m.rating.as_str().to_string(),
        m.period.to_string(),
        m.actual.clone(),
    )
}

fn codes(text: &str) -> Vec<Code> {
    let (_, checked) = check_files(&[("card.perf", text)]).unwrap();
    checked.diagnostics.iter().map(|d| d.code).collect()
}

// --- `red beyond` and `amber`: which one a measure has ---

const SCOPES: &str = r#"
defaults {
  unit number
  polarity higher
  tolerance 5%
  red beyond 10%
}
measure OUTER "inherits red beyond" { target 2017/18 100 actual 2017/18 Q1 89 }
measure OWN_AMBER "its own amber replaces red beyond" {
  amber 10%
  target 2017/18 100
  actual 2017/18 Q1 89
}
group "Inner" {
  defaults { amber 10% }
  measure INNER "the nearer defaults' amber replaces red beyond" {
    target 2017/18 100
    actual 2017/18 Q1 89
  }
  measure INNER_OWN "its own red beyond replaces the nearer amber" {
    red beyond 10%
    target 2017/18 100
    actual 2017/18 Q1 89
  }
}
measure AFTER "the group's defaults end with it" { target 2017/18 100 actual 2017/18 Q1 89 }
"#;

#[test]
fn a_measure_has_one_band_rule_and_the_nearest_wins() {
    let report = report_of(SCOPES, "2017/18 Q1");
    // 89 with red beyond 10% of 100: red below 90. With amber 10% from the
    // green threshold 95: amber down to 85.5.
    let rule = |id: &str| {
        let m = measure(&report, id);
        (
            m.rating.as_str(),
            m.thresholds.as_ref().map(|t| t.rule),
            m.red_beyond.as_deref(),
        )
    };
    assert_eq!(
        rule("OUTER"),
        (
            "red",
            Some(perfcard::report::BandRule::RedBeyond),
            Some("10%")
        )
    );
    assert_eq!(
        rule("OWN_AMBER"),
        ("amber", Some(perfcard::report::BandRule::Amber), None)
    );
    assert_eq!(
        rule("INNER"),
        ("amber", Some(perfcard::report::BandRule::Amber), None)
    );
    assert_eq!(
        rule("INNER_OWN"),
        (
            "red",
            Some(perfcard::report::BandRule::RedBeyond),
            Some("10%")
        )
    );
    assert_eq!(
        rule("AFTER"),
        (
            "red",
            Some(perfcard::report::BandRule::RedBeyond),
            Some("10%")
        )
    );
}

#[test]
fn both_rules_in_one_block_is_an_error_but_in_two_blocks_is_not() {
    let one = "defaults { amber 5% red beyond 10% }";
    assert_eq!(codes(one), [Code::AmberAndRedBeyond]);
    let measure = "measure M \"m\" { unit number polarity higher red beyond 10% amber 5% }";
    assert_eq!(codes(measure), [Code::AmberAndRedBeyond]);
    let two = "defaults { amber 5% } defaults { red beyond 10% }";
    assert_eq!(codes(two), []);
}

#[test]
fn red_beyond_inside_the_tolerance_is_an_error_at_that_target_only() {
    let card = |red: &str, targets: &str| {
        format!(
            "measure M \"m\" {{ unit percent polarity higher tolerance 2pp red beyond {red} {targets} }}"
        )
    };
    // 10% of 50 is 5 points, outside 2pp; 10% of 10 is 1 point, inside it.
    assert_eq!(codes(&card("10%", "target 2017/18 50%")), []);
    assert_eq!(
        codes(&card("10%", "target 2017/18 50% target 2018/19 10%")),
        [Code::RedInsideTolerance]
    );
    // 20% of 10 is 2 points: equal to the tolerance, allowed (no amber).
    assert_eq!(codes(&card("20%", "target 2018/19 10%")), []);
    assert_eq!(
        codes(&card("1.99pp", "target 2018/19 10%")),
        [Code::RedInsideTolerance]
    );
    // Lower and target polarities, both sides.
    let lower =
        "measure M \"m\" { unit days polarity lower tolerance 2 red beyond 1 target 2017/18 10 }";
    assert_eq!(codes(lower), [Code::RedInsideTolerance]);
    let target =
        "measure M \"m\" { unit days polarity target tolerance 2 red beyond 1 target 2017/18 10 }";
    assert_eq!(codes(target), [Code::RedInsideTolerance]);
    let ok =
        "measure M \"m\" { unit days polarity target tolerance 2 red beyond 2 target 2017/18 10 }";
    assert_eq!(codes(ok), []);
}

// --- digit ids ---

#[test]
fn ids_may_start_with_a_digit() {
    let text = r#"
measure 1.1.2.PI "Rent collected" { unit percent polarity higher target 2017/18 98% actual 2017/18 Q1 99% }
measure 2.3a "Arrears" { unit percent polarity lower target 2017/18 2% actual 2017/18 Q1 3% }
measure 1.1 "Housing" { composite worst of 1.1.2.PI, 2.3a }
action 4.1 "Publish the plan" { milestone 2017/18 Q1 "Draft" done }
"#;
    let report = report_of(text, "2017/18 Q1");
    let ids: Vec<&str> = report.measures.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["1.1.2.PI", "2.3a", "1.1"]);
    assert_eq!(measure(&report, "1.1").rating.as_str(), "red");
    assert_eq!(report.actions[0].id, "4.1");
    let dup = "measure 1.1 \"a\" { unit count } measure 1.1 \"b\" { unit count }";
    assert_eq!(codes(dup), [Code::DuplicateId]);
}

// --- months ---

const MONTHLY: &str = r#"
measure ASC07 "Delayed transfers of care (days)" {
  unit days
  polarity lower
  cadence monthly
  target 2017/18 450
  target 2017/18 Q2 440
  target 2017/18 Jan 500
  actual {
    2016/17 Apr 480
    2016/17 Mar 452
    2017/18 Apr 470
    2017/18 May 430
    2017/18 Jun 441
    2017/18 Jul 445
    2017/18 Jan 499
    2017/18 Feb 501
  }
}
measure Q "Quarterly" {
  unit count polarity higher target 2017/18 10
  actual { 2016/17 Q4 11  2017/18 Q1 9  2017/18 Q2 12 }
}
measure A "Annual" {
  unit count polarity higher cadence annual target 2016/17 10 target 2017/18 10
  actual { 2016/17 11  2017/18 8 }
}
"#;

#[test]
fn a_month_report_rates_each_cadence_on_its_latest_ended_period() {
    // May: the monthly measure on May, the quarterly one on the last
    // quarter ended by the end of May (2016/17 Q4), the annual one on 2016/17.
    assert_eq!(
        rated(MONTHLY, "2017/18 May", "ASC07"),
        ("green".into(), "2017/18 May".into(), Some("430".into()))
    );
    assert_eq!(rated(MONTHLY, "2017/18 May", "Q").1, "2016/17 Q4");
    assert_eq!(rated(MONTHLY, "2017/18 Jun", "Q").1, "2017/18 Q1");
    assert_eq!(rated(MONTHLY, "2017/18 May", "A").1, "2016/17");
    assert_eq!(rated(MONTHLY, "2017/18 Feb", "A").1, "2016/17");
    assert_eq!(rated(MONTHLY, "2017/18 Mar", "A").1, "2017/18");
}

#[test]
fn a_quarter_report_rates_a_monthly_measure_on_its_last_month() {
    assert_eq!(rated(MONTHLY, "2017/18 Q1", "ASC07").1, "2017/18 Jun");
    // A year means its last quarter, whose last month is March.
    let report = report_of(MONTHLY, "2017/18 Q4");
    assert_eq!(measure(&report, "ASC07").period.to_string(), "2017/18 Mar");
}

#[test]
fn month_targets_win_over_quarter_targets_over_annual_ones() {
    let target = |period: &str| {
        let report = report_of(MONTHLY, period);
        let m = measure(&report, "ASC07");
        (m.target.clone().unwrap(), m.target_source.unwrap())
    };
    assert_eq!(target("2017/18 Apr"), ("450".into(), "annual"));
    assert_eq!(target("2017/18 Jul"), ("440".into(), "quarter"));
    assert_eq!(target("2017/18 Jan"), ("500".into(), "month"));
    // Both sides of the month target's boundary: 499 ≤ 500 green, 501 red.
    assert_eq!(rated(MONTHLY, "2017/18 Jan", "ASC07").0, "green");
    assert_eq!(rated(MONTHLY, "2017/18 Feb", "ASC07").0, "red");
    // 445 against the Q2 target of 440 (lower, no amber band): red.
    assert_eq!(rated(MONTHLY, "2017/18 Jul", "ASC07").0, "red");
}

#[test]
fn monthly_directions_compare_with_the_previous_month_and_the_same_month_last_year() {
    let report = report_of(MONTHLY, "2017/18 Apr");
    let m = measure(&report, "ASC07");
    // 470 against March's 452 (lower is better): worsening; against last
    // April's 480: improving.
    assert_eq!(
        m.comparisons.short.period.unwrap().to_string(),
        "2016/17 Mar"
    );
    assert_eq!(
        m.comparisons.long.period.unwrap().to_string(),
        "2016/17 Apr"
    );
    assert_eq!(
        (m.direction.short.as_str(), m.direction.long.as_str()),
        ("worsening", "improving")
    );
}

#[test]
fn graduated_month_targets() {
    let text = "measure G \"g\" { unit count polarity higher cadence monthly
        target 2017/18 { Apr 40 May 80 Jun 120 }
        actual { 2017/18 Apr 40  2017/18 May 79 } }";
    assert_eq!(rated(text, "2017/18 Apr", "G").0, "green");
    assert_eq!(rated(text, "2017/18 May", "G").0, "red");
    let easier = "measure G \"g\" { unit count polarity higher cadence monthly
        target 2017/18 { Apr 40 May 30 } }";
    assert_eq!(codes(easier), [Code::GraduatedEasier]);
}

#[test]
fn lag_in_months_and_in_quarters() {
    let text = |lag: &str| {
        format!(
            "measure M \"m\" {{ unit count polarity higher cadence monthly {lag} target 2017/18 10
              actual {{ 2017/18 Apr 1  2017/18 May 2  2017/18 Jun 3 2017/18 Jul 4 2017/18 Aug 5 2017/18 Sep 6 }} }}"
        )
    };
    assert_eq!(
        rated(&text("lag 2 months"), "2017/18 Jun", "M").1,
        "2017/18 Apr"
    );
    assert_eq!(
        rated(&text("lag 1 quarters"), "2017/18 Sep", "M").1,
        "2017/18 Jun"
    );
    // A bare lag counts quarters too, with a warning.
    assert_eq!(rated(&text("lag 1"), "2017/18 Sep", "M").1, "2017/18 Jun");
    assert!(codes(&text("lag 1")).contains(&Code::LagInQuarters));
    assert!(!codes(&text("lag 1 quarters")).contains(&Code::LagInQuarters));
    let report = report_of(&text("lag 2 months"), "2017/18 Jun");
    assert_eq!(
        report.measures[0].lagged.as_deref(),
        Some("reported two months behind")
    );
    assert_eq!(report.measures[0].lag_unit, Some("months"));
    // A quarterly measure lagged by months: the latest quarter ended by
    // then (Q2 report, 2 months back: the end of July, so Q1).
    let quarterly = "measure Q \"q\" { unit count polarity higher lag 2 months target 2017/18 10
        actual { 2017/18 Q1 9 2017/18 Q2 12 } }";
    assert_eq!(rated(quarterly, "2017/18 Q2", "Q").1, "2017/18 Q1");
    assert_eq!(rated(quarterly, "2017/18 Q3", "Q").1, "2017/18 Q2");
}

#[test]
fn the_default_period_is_the_later_of_the_latest_month_and_quarter() {
    let later_month = "measure M \"m\" { unit count polarity higher cadence monthly target 2017/18 1 actual 2017/18 Jul 1 }
        measure Q \"q\" { unit count polarity higher target 2017/18 1 actual 2017/18 Q1 1 }";
    let periods = checked(later_month).model.periods_with_actuals();
    assert_eq!(periods.last().unwrap().to_string(), "2017/18 Jul");
    let tie = "measure M \"m\" { unit count polarity higher cadence monthly target 2017/18 1 actual 2017/18 Jun 1 }
        measure Q \"q\" { unit count polarity higher target 2017/18 1 actual 2017/18 Q1 1 }";
    let periods = checked(tie).model.periods_with_actuals();
    assert_eq!(periods.last().unwrap().to_string(), "2017/18 Q1");
}

#[test]
fn milestones_are_due_at_the_end_of_their_period() {
    let text = "action K \"k\" { milestone 2017/18 Q1 \"Draft\" }";
    let at = |period: &str| {
        report_of(text, period).actions[0]
            .rating
            .as_str()
            .to_string()
    };
    assert_eq!(at("2017/18 May"), "none", "Q1 has not ended in May");
    assert_eq!(at("2017/18 Jun"), "red", "due at the end of June");
}

#[test]
fn a_composite_in_a_month_report_compares_with_the_previous_month() {
    let text = "measure M \"m\" { unit count polarity higher cadence monthly target 2017/18 10
            actual { 2017/18 Apr 5 2017/18 May 12 } }
        measure C \"c\" { composite worst of M }";
    let report = report_of(text, "2017/18 May");
    let c = measure(&report, "C");
    assert_eq!(
        c.comparisons.short.period.unwrap().to_string(),
        "2017/18 Apr"
    );
    assert_eq!(c.direction.short.as_str(), "improving");
    assert_eq!(
        c.period.to_string(),
        "2017/18 May",
        "rated at the month itself"
    );
}

#[test]
fn month_values_on_other_cadences_are_a_cadence_mismatch() {
    let quarterly = "measure M \"m\" { unit count polarity higher actual 2017/18 May 3 }";
    assert_eq!(codes(quarterly), [Code::CadenceMismatch]);
    let monthly =
        "measure M \"m\" { unit count polarity higher cadence monthly actual 2017/18 Q1 3 }";
    assert_eq!(codes(monthly), [Code::CadenceMismatch]);
}

// --- the year start is a real date ---

#[test]
fn year_start_moves_quarters_and_months() {
    let text = "report { year-start january }
        measure M \"m\" { unit count polarity higher cadence monthly target 2017/18 10
            actual { 2017/18 Mar 4  2017/18 Apr 12  2017/18 Dec 9 } }
        measure Y \"y\" { unit count polarity higher cadence annual year calendar target 2017 10
            actual { 2017 11 } }";
    let checked = checked(text);
    let at = |p: &str| {
        let period = p.parse::<Period>().unwrap().with_year_start(1);
        report::build(&checked.model, period)
    };
    // 2017/18 Q1 is January–March 2017: its last month is March.
    let q1 = at("2017/18 Q1");
    assert_eq!(q1.months, "Jan–Mar 2017");
    assert_eq!(measure(&q1, "M").period.to_string(), "2017/18 Mar");
    // April 2017 comes straight after March 2017.
    let april = at("2017/18 Apr");
    assert_eq!(
        measure(&april, "M")
            .comparisons
            .short
            .period
            .unwrap()
            .to_string(),
        "2017/18 Mar"
    );
    // The calendar year 2017 has ended with 2017/18 Q4 (October–December).
    assert_eq!(measure(&at("2017/18 Q4"), "Y").period.to_string(), "2017");
    assert_eq!(measure(&at("2017/18 Q3"), "Y").period.to_string(), "2016");
}

// --- calendar and academic years ---

const YEARS: &str = r#"
measure P16 "Life expectancy in the most deprived fifth of neighbourhoods" {
  unit "years"
  polarity higher
  cadence annual
  year calendar
  target 2011 78.2
  actual { 2010 77.9  2011 78.2 }
}
measure KS4 "Pupils achieving grade 5 or above in English and maths" {
  unit percent
  polarity higher
  cadence annual
  year academic
  target 2016/17 40%
  actual { 2015/16 41%  2016/17 39.5% }
}
"#;

#[test]
fn a_calendar_year_is_reported_once_it_has_ended() {
    assert_eq!(
        rated(YEARS, "2011/12 Q3", "P16"),
        ("green".into(), "2011".into(), Some("78.2".into()))
    );
    assert_eq!(rated(YEARS, "2011/12 Q2", "P16").1, "2010");
    let report = report_of(YEARS, "2011/12 Q3");
    let m = measure(&report, "P16");
    assert_eq!(m.comparisons.short.period.unwrap().to_string(), "2010");
    assert_eq!(m.direction.short.as_str(), "improving");
    assert_eq!(m.year, "calendar");
}

#[test]
fn an_academic_year_is_reported_once_august_has_ended() {
    assert_eq!(
        rated(YEARS, "2017/18 Q2", "KS4"),
        ("red".into(), "2016/17".into(), Some("39.5".into()))
    );
    assert_eq!(rated(YEARS, "2017/18 Q1", "KS4").1, "2015/16");
    assert_eq!(rated(YEARS, "2017/18 Aug", "KS4").1, "2016/17");
    assert_eq!(rated(YEARS, "2017/18 Jul", "KS4").1, "2015/16");
    let report = report_of(YEARS, "2017/18 Q2");
    assert_eq!(measure(&report, "KS4").direction.long.as_str(), "worsening");
}

#[test]
fn year_kinds_are_checked() {
    let periodic = "measure M \"m\" { unit count year academic }";
    assert_eq!(codes(periodic), [Code::YearOnPeriodic]);
    // From defaults, the kind of year applies to annual measures only.
    let defaults = "defaults { year calendar } measure M \"m\" { unit count polarity higher target 2017/18 1 }";
    assert_eq!(codes(defaults), []);
    let fiscal_on_calendar =
        "measure M \"m\" { unit count cadence annual year calendar actual 2016/17 3 }";
    assert_eq!(codes(fiscal_on_calendar), [Code::CadenceMismatch]);
    let calendar_on_fiscal = "measure M \"m\" { unit count cadence annual actual 2016 3 }";
    assert_eq!(codes(calendar_on_fiscal), [Code::CadenceMismatch]);
}

// --- percent-change ---

#[test]
fn percent_change_takes_percent_values_without_a_range_warning() {
    let text =
        "measure W \"% change in waste sent to landfill\" { unit percent-change polarity lower
        target 2017/18 -3.5% actual { 2016/17 Q1 150%  2017/18 Q1 -4.1% } }";
    assert_eq!(codes(text), []);
    let report = report_of(text, "2017/18 Q1");
    let m = &report.measures[0];
    assert_eq!(m.actual_display.as_deref(), Some("-4.1%"));
    assert_eq!(m.rating.as_str(), "green");
    assert_eq!(m.unit, "percent-change");
    let percent = text.replace("percent-change", "percent");
    assert!(codes(&percent).contains(&Code::PercentOutOfRange));
}

// --- year to date ---

const YTD: &str = r#"
measure HD1 "Homes delivered (year to date)" {
  unit count
  polarity higher
  year-to-date
  target 2017/18 { Q1 100 Q2 200 Q3 300 Q4 400 }
  actual {
    2016/17 Q1 80
    2016/17 Q2 150
    2016/17 Q3 240
    2016/17 Q4 300
    2017/18 Q1 70
    2017/18 Q2 180
    2017/18 Q3 250
  }
}
"#;

#[test]
fn year_to_date_short_term_compares_the_periods_own_amounts() {
    let at = |p: &str| {
        let report = report_of(YTD, p);
        let m = &report.measures[0];
        (
            m.direction.short.as_str().to_string(),
            m.direction.long.as_str().to_string(),
        )
    };
    // Q1: its own amount 70 against last year's Q4 amount 300 − 240 = 60:
    // improving; the running total 70 against last Q1's 80: worsening.
    assert_eq!(at("2017/18 Q1"), ("improving".into(), "worsening".into()));
    // Q2: 180 − 70 = 110 against Q1's 70: improving; 180 against 150.
    assert_eq!(at("2017/18 Q2"), ("improving".into(), "improving".into()));
    // Q3: 250 − 180 = 70 against 110: worsening; 250 against 240 improving.
    assert_eq!(at("2017/18 Q3"), ("worsening".into(), "improving".into()));
    // Q4 has no actual: new.
    assert_eq!(at("2017/18 Q4").0, "new");
    // No graduated-easier warning for a growing target whatever the
    // polarity: a lower-is-better running total grows too.
    let lower = YTD.replace("polarity higher", "polarity lower");
    assert_eq!(codes(&lower), []);
    assert_eq!(
        codes(&lower.replace("year-to-date", "")),
        [Code::GraduatedEasier; 3]
    );
}

#[test]
fn a_year_to_date_measure_with_an_annual_target_is_rated_at_year_end_only() {
    let text = "measure HR2 \"Days lost per employee (year to date)\" { unit days polarity lower year-to-date
        target 2017/18 8.5 actual { 2017/18 Q1 2.1  2017/18 Q3 6.9  2017/18 Q4 8.6 } }";
    assert_eq!(codes(text), [Code::YtdAnnualTarget]);
    let report = report_of(text, "2017/18 Q3");
    assert_eq!(report.measures[0].rating.as_str(), "none");
    assert_eq!(
        report.measures[0].reason_text.as_deref(),
        Some("an annual target only applies at year end for a year-to-date measure")
    );
    assert_eq!(rated(text, "2017/18 Q4", "HR2").0, "red");
    // A quarter target makes it rated for that quarter.
    let with_quarter = text.replace(
        "target 2017/18 8.5",
        "target 2017/18 8.5 target 2017/18 Q3 7",
    );
    assert_eq!(rated(&with_quarter, "2017/18 Q3", "HR2").0, "green");
}

#[test]
fn monthly_year_to_date() {
    let text = "measure M \"m\" { unit count polarity higher cadence monthly year-to-date
        target 2017/18 { Apr 10 May 20 }
        actual { 2016/17 Mar 100  2016/17 Feb 95  2017/18 Apr 12  2017/18 May 20 } }";
    let report = report_of(text, "2017/18 Apr");
    // April's own 12 against March's own 100 − 95 = 5.
    assert_eq!(report.measures[0].direction.short.as_str(), "improving");
    let report = report_of(text, "2017/18 May");
    // May's own 20 − 12 = 8 against April's 12.
    assert_eq!(report.measures[0].direction.short.as_str(), "worsening");
    let falls = "measure M \"m\" { unit count polarity lower cadence monthly year-to-date
        target 2017/18 { Apr 10 May 9 } }";
    assert_eq!(codes(falls), [Code::YtdTargetFalls]);
}
