//! What changed in one key action: its milestones and statuses.

use crate::model::*;
use crate::period::Period;

use super::*;

pub(super) fn action_changes(
    old: &Model,
    new: &Model,
    before: &ActionDef,
    after: &ActionDef,
    out: &mut Vec<Change>,
) {
    let mut push = |kind: &'static str,
                    period: Option<Period>,
                    o: Option<String>,
                    n: Option<String>,
                    effect: Effect| {
        out.push(Change {
            id: after.id.clone(),
            kind,
            period,
            old: o,
            new: n,
            effect,
            retrospective: false,
            old_display: None,
            new_display: None,
            title: after.title.clone(),
            group: new.group_path(after.group),
        })
    };
    if before.title != after.title {
        push(
            "title",
            None,
            Some(before.title.clone()),
            Some(after.title.clone()),
            Effect::Changed,
        );
    }
    let (old_group, new_group) = (old.group_path(before.group), new.group_path(after.group));
    if old_group != new_group {
        push(
            "group",
            None,
            Some(old_group.join(" › ")),
            Some(new_group.join(" › ")),
            Effect::Changed,
        );
    }
    if before.owner != after.owner {
        push(
            "owner",
            None,
            before.owner.clone(),
            after.owner.clone(),
            Effect::Changed,
        );
    }
    if before.lead != after.lead {
        push(
            "lead",
            None,
            before.lead.clone(),
            after.lead.clone(),
            Effect::Changed,
        );
    }
    let describe = |m: &MilestoneDef| {
        let mut text = format!(
            "\"{}\" due {}: {}",
            m.title,
            m.period,
            if m.done { "done" } else { "not done" }
        );
        if let Some(c) = &m.concern {
            text.push_str(&format!(" (concern: {c})"));
        }
        text
    };
    for m in &after.milestones {
        match before.milestones.iter().find(|b| b.title == m.title) {
            None => push(
                "milestone",
                Some(m.period),
                None,
                Some(describe(m)),
                Effect::Added,
            ),
            Some(b) if b.period != m.period || b.done != m.done || b.concern != m.concern => push(
                "milestone",
                Some(m.period),
                Some(describe(b)),
                Some(describe(m)),
                Effect::Changed,
            ),
            Some(_) => {}
        }
    }
    for b in &before.milestones {
        if !after.milestones.iter().any(|m| m.title == b.title) {
            push(
                "milestone",
                Some(b.period),
                Some(describe(b)),
                None,
                Effect::Removed,
            );
        }
    }
    for (p, o, n, effect) in status_changes(&before.statuses, &after.statuses) {
        push("status", Some(p), o, n, effect);
    }
    for (p, o, n, effect) in note_changes(&before.notes, &after.notes) {
        push("note", Some(p), o, n, effect);
    }
}
