//! Properties that must hold for every input, checked on generated cases.

use perfcard::check_files;
use perfcard::model::Rag;
use perfcard::report;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// A rating's rank: better is bigger.
fn rank(rag: Rag) -> u8 {
    match rag {
        Rag::Green => 3,
        Rag::Amber => 2,
        Rag::Red => 1,
        Rag::None => 0,
    }
}

fn decimal() -> impl Strategy<Value = Decimal> {
    // Up to 6 integer digits and 3 decimal places, either sign.
    (-999_999_999i64..=999_999_999, 0u32..=3).prop_map(|(m, s)| Decimal::new(m, s))
}

fn band() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..=50, 0u32..=1).prop_map(|(n, s)| format!("{}%", Decimal::new(n.into(), s))),
        (0u32..=500, 0u32..=2).prop_map(|(n, s)| format!("{}", Decimal::new(n.into(), s))),
    ]
}

fn rating(polarity: &str, target: Decimal, tolerance: &str, amber: &str, actual: Decimal) -> Rag {
    let text = format!(
        "measure M \"m\" {{ unit number polarity {polarity} tolerance {tolerance} amber {amber}
           target 2017/18 {target} actual 2017/18 Q1 {actual} }}"
    );
    let (_, checked) = check_files(&[("p.perf", &text)]).expect("the root is in memory");
    assert!(!checked.has_errors(), "{text}: {:?}", checked.diagnostics);
    report::build(&checked.model, "2017/18 Q1".parse().unwrap()).measures[0].rating
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A better actual never gets a worse rating.
    #[test]
    fn better_actual_never_rates_worse(target in decimal(), tolerance in band(), amber in band(),
                                       a in decimal(), b in decimal()) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let higher = (rating("higher", target, &tolerance, &amber, low), rating("higher", target, &tolerance, &amber, high));
        prop_assert!(rank(higher.1) >= rank(higher.0), "higher: {low} → {:?}, {high} → {:?}", higher.0, higher.1);
        let lower = (rating("lower", target, &tolerance, &amber, low), rating("lower", target, &tolerance, &amber, high));
        prop_assert!(rank(lower.0) >= rank(lower.1), "lower: {low} → {:?}, {high} → {:?}", lower.0, lower.1);
    }

    /// `lower` mirrors `higher`: negating target and actual swaps them.
    #[test]
    fn lower_mirrors_higher(target in decimal(), tolerance in band(), amber in band(), actual in decimal()) {
        let up = rating("higher", target, &tolerance, &amber, actual);
        let down = rating("lower", -target, &tolerance, &amber, -actual);
        prop_assert_eq!(up, down);
    }

    /// `target` is symmetric around the target.
    #[test]
    fn target_polarity_is_symmetric(target in decimal(), tolerance in band(), amber in band(), offset in decimal()) {
        let above = rating("target", target, &tolerance, &amber, target + offset.abs());
        let below = rating("target", -target, &tolerance, &amber, -target - offset.abs());
        prop_assert_eq!(above, below);
    }
}

proptest! {
    // Each case starts the program ten times: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Same input, byte-identical output, in every format, from two
    /// separate runs of the program (so that nothing that differs between
    /// processes, such as hash seeds or thread timing, can show).
    #[test]
    fn output_is_deterministic(target in decimal(), actual in decimal(), note in "[ -~]{0,40}") {
        let text = format!(
            "report \"R\" {{ period 2017/18 Q1 }}
             group \"G\" {{ measure M \"m | *x*\" {{ unit number polarity higher target 2017/18 {target}
               actual 2017/18 Q1 {actual} note 2017/18 Q1 \"{}\" }}
             measure N \"n\" {{ composite worst of M }} }}
             group \"H\" {{ action A \"a\" {{ milestone 2017/18 Q1 \"m\" done }} }}",
            note.replace('\\', "\\\\").replace('"', "\\\"")
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.perf");
        std::fs::write(&path, &text).unwrap();
        let path = path.to_str().unwrap();
        for format in ["json", "text", "markdown", "csv", "html"] {
            let run = || {
                let out = std::process::Command::new(env!("CARGO_BIN_EXE_perfcard"))
                    .args(["report", path, "--format", format])
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                out.stdout
            };
            prop_assert_eq!(run(), run(), "{} differs between two runs", format);
        }
    }
}
