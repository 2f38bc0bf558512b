//! "Did you mean" hints: the one rule for proposing a known name in place of a
//! misspelt one (configuration keys, `--only` names, tasks, parameters, steps,
//! plugins, plugin files, types, dependency files).

use std::cmp::Ordering;

/// The candidate closest to `name`, if it is close enough to be a likely typo.
///
/// Names are compared ignoring case. A candidate is close when its Jaro-Winkler
/// similarity to `name` is above 0.8, or when it is one edit away (a character
/// inserted, removed or replaced, or two adjacent characters swapped: `oi` for
/// `io`). The most similar close candidate wins (Jaro-Winkler); a tie goes to
/// the alphabetically first, so the answer does not depend on the order of the
/// candidates. Nothing is proposed for an empty name.
pub fn did_you_mean<'a, S>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a S>,
) -> Option<&'a str>
where
    S: AsRef<str> + ?Sized + 'a,
{
    if name.is_empty() {
        return None;
    }
    let name = name.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        let candidate = candidate.as_ref();
        let folded = candidate.to_lowercase();
        let similarity = strsim::jaro_winkler(&name, &folded);
        if similarity <= 0.8 && strsim::osa_distance(&name, &folded) > 1 {
            continue;
        }
        let better = best.is_none_or(|(best_similarity, best_candidate)| {
            match similarity.total_cmp(&best_similarity) {
                Ordering::Greater => true,
                Ordering::Equal => candidate < best_candidate,
                Ordering::Less => false,
            }
        });
        if better {
            best = Some((similarity, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn close_names_are_proposed() {
        // The hints the checks' own tests expect.
        assert_eq!(
            did_you_mean("registry_hots", &["roots", "registry_host", "tag"]),
            Some("registry_host")
        );
        assert_eq!(
            did_you_mean("domino-mni", ["domino-mini", "dioptra-mini"]),
            Some("domino-mini")
        );
        assert_eq!(
            did_you_mean("trian", ["load", "train", "noop"]),
            Some("train")
        );
        assert_eq!(did_you_mean("pth", ["path"]), Some("path"));
        assert_eq!(
            did_you_mean("save_modle", ["save_model"]),
            Some("save_model")
        );
        assert_eq!(
            did_you_mean("shap", ["any", "string", "a", "shape"]),
            Some("shape")
        );
        assert_eq!(
            did_you_mean(
                "task.py",
                &["__init__.py".to_string(), "tasks.py".to_string()]
            ),
            Some("tasks.py")
        );
    }

    #[test]
    fn one_edit_is_close_even_when_jaro_winkler_is_not() {
        // Jaro-Winkler sees no common character in place: 0.0.
        assert!(strsim::jaro_winkler("oi", "io") < 0.1);
        assert_eq!(did_you_mean("oi", ["io"]), Some("io"));
        assert_eq!(did_you_mean("b.py", ["a.py"]), Some("a.py"));
    }

    #[test]
    fn case_is_ignored() {
        assert_eq!(
            did_you_mean("INTEGER", ["string", "integer"]),
            Some("integer")
        );
        assert_eq!(
            did_you_mean("Registry_Host", ["registry_host"]),
            Some("registry_host")
        );
    }

    #[test]
    fn the_closest_name_wins_not_the_first_close_one() {
        // `dioptra::unknown-plugin` used to take the first plugin within two
        // edits (`core` for `store`); the closest is `stores`, and `core` alone
        // is too far to be a likely typo.
        assert_eq!(did_you_mean("store", ["core", "stores"]), Some("stores"));
        assert_eq!(did_you_mean("store", ["core"]), None);
    }

    #[test]
    fn far_names_and_empty_names_get_nothing() {
        assert_eq!(did_you_mean("zzz", ["io"]), None);
        assert_eq!(did_you_mean("dataset", ["model", "score"]), None);
        assert_eq!(did_you_mean("", ["a", "b"]), None);
        assert_eq!(did_you_mean("x", Vec::<&str>::new()), None);
    }

    #[test]
    fn the_most_similar_wins_and_ties_do_not_depend_on_order() {
        assert_eq!(did_you_mean("trian", ["trial", "train"]), Some("train"));
        assert_eq!(did_you_mean("trian", ["train", "trial"]), Some("train"));
        // `ab` is one edit from both, with the same similarity.
        assert_eq!(did_you_mean("ab", ["ad", "ac"]), Some("ac"));
        assert_eq!(did_you_mean("ab", ["ac", "ad"]), Some("ac"));
    }
}
