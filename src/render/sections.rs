//! The report's sections: its measures and actions by group, as every
//! human-facing format lays them out.

use crate::report::{ActionReport, MeasureReport, Report};

/// A section's heading: the group path, or what the ungrouped items are.
pub fn heading(path: &[String], measures: bool, actions: bool) -> String {
    match (path.is_empty(), measures, actions) {
        (false, _, _) => path.join(" › "),
        (true, true, true) => "Not in a group".to_string(),
        (true, false, true) => "Key actions".to_string(),
        (true, _, _) => "Measures not in a group".to_string(),
    }
}

/// Measures and actions by group, groups in the order they first appear.
pub fn sections(report: &Report) -> Vec<(Vec<String>, Vec<&MeasureReport>, Vec<&ActionReport>)> {
    let mut sections: Vec<(Vec<String>, Vec<&MeasureReport>, Vec<&ActionReport>)> = Vec::new();
    let index =
        |path: &Vec<String>,
         sections: &mut Vec<(Vec<String>, Vec<&MeasureReport>, Vec<&ActionReport>)>| {
            match sections.iter().position(|(p, _, _)| p == path) {
                Some(i) => i,
                None => {
                    sections.push((path.clone(), Vec::new(), Vec::new()));
                    sections.len() - 1
                }
            }
        };
    for m in &report.measures {
        let i = index(&m.group, &mut sections);
        sections[i].1.push(m);
    }
    for a in &report.actions {
        let i = index(&a.group, &mut sections);
        sections[i].2.push(a);
    }
    sections
}
