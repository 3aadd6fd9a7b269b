//! Compact sets of directives, written as line ranges: `"12-40, 55, 181:59"`.
//!
//! An item selects directives by where they start in the file:
//!
//! - `L` selects every directive starting on line `L`;
//! - `A-B` selects every directive starting on lines `A` to `B` inclusive;
//! - `L:C` selects the one directive starting at line `L`, column `C`, for a
//!   line holding several directives that do not all belong to the set.
//!
//! [`format()`] writes the shortest such list for a set of directives among a
//! file's directives (a range spans consecutive directive lines that all
//! belong to the set); [`select()`] reads a list back against the file.

use std::collections::BTreeSet;

use crate::outcome::Position;

/// One item of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Lines(usize, usize),
    At(Position),
}

fn parse_number(text: &str, list: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{list}`: `{}` is not a line number", text.trim())),
    }
}

fn parse(list: &str) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    for item in list.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(format!("`{list}`: empty item"));
        }
        items.push(if let Some((a, b)) = item.split_once('-') {
            let (a, b) = (parse_number(a, list)?, parse_number(b, list)?);
            if a >= b {
                return Err(format!("`{list}`: range `{item}` does not ascend"));
            }
            Item::Lines(a, b)
        } else if let Some((line, column)) = item.split_once(':') {
            Item::At(Position {
                line: parse_number(line, list)?,
                column: parse_number(column, list)?,
            })
        } else {
            let line = parse_number(item, list)?;
            Item::Lines(line, line)
        });
    }
    Ok(items)
}

/// Checks that `list` is well formed.
///
/// # Errors
///
/// A message naming the bad item.
pub fn validate(list: &str) -> Result<(), String> {
    parse(list).map(drop)
}

/// The directives among `all` (every directive of a file, in order) that
/// `list` selects.
///
/// # Errors
///
/// If `list` is malformed or one of its items selects no directive.
pub fn select(list: &str, all: &[Position]) -> Result<BTreeSet<Position>, String> {
    let mut selected = BTreeSet::new();
    for item in parse(list)? {
        let before = selected.len();
        match item {
            Item::Lines(a, b) => {
                selected.extend(all.iter().filter(|p| (a..=b).contains(&p.line)).copied());
            }
            Item::At(at) => {
                if all.contains(&at) {
                    selected.insert(at);
                }
            }
        }
        if selected.len() == before {
            let item = match item {
                Item::Lines(a, b) if a == b => a.to_string(),
                Item::Lines(a, b) => format!("{a}-{b}"),
                Item::At(at) => at.to_string(),
            };
            return Err(format!("`{item}` selects no directive (or only ones listed before)"));
        }
    }
    Ok(selected)
}

/// The shortest list selecting exactly `set` among `all` (every directive of
/// a file, in order).
pub fn format(set: &BTreeSet<Position>, all: &[Position]) -> String {
    // Each directive line: whether all, some or none of its directives are in the set.
    let mut lines: Vec<(usize, Vec<Position>, usize)> = Vec::new();
    for &p in all {
        match lines.last_mut() {
            Some((line, members, count)) if *line == p.line => {
                *count += 1;
                if set.contains(&p) {
                    members.push(p);
                }
            }
            _ => lines.push((p.line, if set.contains(&p) { vec![p] } else { vec![] }, 1)),
        }
    }
    let mut items: Vec<String> = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    let close = |run: &mut Option<(usize, usize)>, items: &mut Vec<String>| {
        if let Some((a, b)) = run.take() {
            items.push(if a == b { a.to_string() } else { format!("{a}-{b}") });
        }
    };
    for (line, members, count) in &lines {
        if !members.is_empty() && members.len() == *count {
            run = Some(run.map_or((*line, *line), |(a, _)| (a, *line)));
            continue;
        }
        close(&mut run, &mut items);
        items.extend(members.iter().map(Position::to_string));
    }
    close(&mut run, &mut items);
    items.join(", ")
}

/// `positions` as a short list of lines for a message: `12, 15, 181:59`.
pub fn show(positions: &BTreeSet<Position>, all: &[Position]) -> String {
    let shared = |p: &Position| all.iter().filter(|q| q.line == p.line).count() > 1;
    positions
        .iter()
        .map(|p| if shared(p) { p.to_string() } else { p.line.to_string() })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    /// Directives on lines 1, 3, 4, 7, two on line 9, 12.
    fn file() -> Vec<Position> {
        vec![at(1, 1), at(3, 1), at(4, 1), at(7, 1), at(9, 1), at(9, 40), at(12, 1)]
    }

    #[test]
    fn ranges_span_consecutive_directive_lines() {
        let all = file();
        let set: BTreeSet<Position> = [at(3, 1), at(4, 1), at(7, 1), at(12, 1)].into();
        assert_eq!(format(&set, &all), "3-7, 12");
        assert_eq!(select("3-7, 12", &all).unwrap(), set);
    }

    #[test]
    fn a_shared_line_is_named_by_column_when_split() {
        let all = file();
        let set: BTreeSet<Position> = [at(7, 1), at(9, 40)].into();
        assert_eq!(format(&set, &all), "7, 9:40");
        assert_eq!(select("7, 9:40", &all).unwrap(), set);
        let both: BTreeSet<Position> = [at(7, 1), at(9, 1), at(9, 40), at(12, 1)].into();
        assert_eq!(format(&both, &all), "7-12");
        assert_eq!(show(&set, &all), "7, 9:40");
    }

    #[test]
    fn every_item_must_select_something() {
        let all = file();
        assert!(select("2", &all).unwrap_err().contains("`2` selects no directive"));
        assert!(select("9:2", &all).is_err());
        assert!(select("3, 3", &all).is_err());
    }

    #[test]
    fn malformed_lists_are_refused() {
        for bad in ["", "3,", "a", "5-3", "0", "3-3", "1:x"] {
            assert!(validate(bad).is_err(), "{bad}");
        }
        assert!(validate("1, 2-4, 9:40").is_ok());
    }
}
