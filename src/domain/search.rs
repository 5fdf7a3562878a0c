//! As-you-type product search that forgives how people type in Uzbekistan: Latin or
//! Cyrillic, any case, with or without the apostrophe of oʻ/gʻ in any of its forms
//! (' ʻ ‘ ʼ ’ `). Both the names and the query are folded to one Latin skeleton by [`fold`],
//! so "sut", "SUT", "Сут" all find "Sut 2.5%", and "gosht" finds "Go'sht".

use std::collections::HashMap;

/// Lower-cases, drops apostrophes, transliterates Cyrillic (Russian and Uzbek) to Latin and
/// collapses white space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        if matches!(c, '\'' | 'ʻ' | '‘' | 'ʼ' | '’' | '`' | 'ʹ') {
            continue;
        }
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        let before = out.len();
        for lc in c.to_lowercase() {
            match translit(lc) {
                Some(latin) => out.push_str(latin),
                None => out.push(lc),
            }
        }
        // A letter that folds to nothing (ъ, ь) is skipped like an apostrophe, so that
        // folding twice gives the same text (found by fuzz/fuzz_targets/text_input.rs).
        if out.len() > before {
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn translit(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'ё' => "yo",
        'ж' => "j",
        'з' => "z",
        'и' | 'ы' => "i",
        'й' => "y",
        'к' => "k",
        'қ' => "q",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' | 'ў' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "x",
        'ҳ' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' | 'щ' => "sh",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// An index over a list of named items with barcodes. Positions refer to the caller's list.
///
/// The folded names are kept in one string, separated by newlines, so that a query word is
/// found with one SIMD substring scan over the whole catalog (`memchr::memmem`) instead of
/// one search per name.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    /// Every folded name followed by '\n'.
    text: String,
    /// Where each name starts in `text`.
    starts: Vec<usize>,
    /// Barcodes of up to 17 digits (EAN, UPC, scale codes: nearly all) as numbers with their
    /// length (so leading zeros count): no string per barcode, a third of the memory.
    by_number: HashMap<u64, u32>,
    /// Any other barcode (letters, more digits).
    by_text: HashMap<Box<str>, u32>,
}

/// A digit string of 1 to 17 digits as (length << 57 | value); `None` otherwise.
fn numeric_key(code: &str) -> Option<u64> {
    if code.is_empty() || code.len() > 17 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = code.bytes().fold(0u64, |v, b| v * 10 + u64::from(b - b'0'));
    Some(((code.len() as u64) << 57) | value)
}

impl SearchIndex {
    /// Builds the index from (name, barcodes) in the caller's order.
    pub fn build<'a, I, B>(items: I) -> SearchIndex
    where
        I: IntoIterator<Item = (&'a str, B)>,
        B: IntoIterator<Item = &'a str>,
    {
        let mut index = SearchIndex::default();
        for (pos, (name, barcodes)) in items.into_iter().enumerate() {
            let pos = u32::try_from(pos).unwrap_or(u32::MAX);
            index.starts.push(index.text.len());
            index.text.push_str(&fold(name).replace('\n', " "));
            index.text.push('\n');
            for code in barcodes {
                match numeric_key(code) {
                    Some(key) => index.by_number.insert(key, pos),
                    None => index.by_text.insert(code.into(), pos),
                };
            }
        }
        index.by_number.shrink_to_fit();
        index.by_text.shrink_to_fit();
        index.text.shrink_to_fit();
        index.starts.shrink_to_fit();
        index
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Adds an item at the next position (a product created while the till is open).
    pub fn push<'a>(&mut self, name: &str, barcodes: impl IntoIterator<Item = &'a str>) -> usize {
        let pos = self.starts.len();
        self.starts.push(self.text.len());
        self.text.push_str(&fold(name).replace('\n', " "));
        self.text.push('\n');
        self.put_codes(pos, barcodes);
        pos
    }

    /// Replaces the item at `pos` (a product renamed, its barcodes changed); `None` for the
    /// name takes the item out of every search (archived). Costs one pass over the barcodes
    /// and one move of the names after it, far below a rebuild.
    pub fn set<'a>(
        &mut self,
        pos: usize,
        name: Option<&str>,
        barcodes: impl IntoIterator<Item = &'a str>,
    ) {
        if pos >= self.starts.len() {
            return;
        }
        let folded = name.map(|n| fold(n).replace('\n', " ")).unwrap_or_default();
        let start = self.starts[pos];
        let end = self.starts.get(pos + 1).map_or(self.text.len(), |&e| e) - 1;
        if self.text[start..end] != folded {
            self.text.replace_range(start..end, &folded);
            let delta = folded.len() as isize - (end - start) as isize;
            for s in &mut self.starts[pos + 1..] {
                *s = s.saturating_add_signed(delta);
            }
        }
        let p = u32::try_from(pos).unwrap_or(u32::MAX);
        self.by_number.retain(|_, v| *v != p);
        self.by_text.retain(|_, v| *v != p);
        self.put_codes(pos, barcodes);
    }

    fn put_codes<'a>(&mut self, pos: usize, barcodes: impl IntoIterator<Item = &'a str>) {
        let pos = u32::try_from(pos).unwrap_or(u32::MAX);
        for code in barcodes {
            match numeric_key(code) {
                Some(key) => self.by_number.insert(key, pos),
                None => self.by_text.insert(code.into(), pos),
            };
        }
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The folded name at a position.
    fn name(&self, pos: usize) -> &str {
        let end = self.starts.get(pos + 1).map_or(self.text.len(), |&e| e) - 1;
        &self.text[self.starts[pos]..end]
    }

    /// The position of the item with this exact barcode.
    pub fn by_barcode(&self, code: &str) -> Option<usize> {
        match numeric_key(code) {
            Some(key) => self.by_number.get(&key),
            None => self.by_text.get(code),
        }
        .map(|&p| p as usize)
    }

    /// Items whose folded name contains every word of the query: those whose name starts
    /// with the query first, then those with a word starting with it, then the rest, each in
    /// list order; at most `limit`. An exact barcode match comes first. An empty query finds
    /// nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<usize> {
        let q = fold(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let words: Vec<&str> = q.split(' ').collect();
        let mut out: Vec<usize> = Vec::new();
        let barcode_hit = self.by_barcode(query.trim());
        if let Some(pos) = barcode_hit {
            out.push(pos);
        }
        let mut word_start: Vec<usize> = Vec::new();
        let mut inside: Vec<usize> = Vec::new();
        // Scan for the longest word (the rarest, usually); check the others per candidate.
        let Some(longest) = words.iter().copied().max_by_key(|w| w.len()) else {
            return out;
        };
        let finder = memchr::memmem::Finder::new(longest.as_bytes());
        let bytes = self.text.as_bytes();
        let mut from = 0;
        let mut pos = 0;
        while let Some(rel) = finder.find(&bytes[from..]) {
            let hit = from + rel;
            // Hits only move forward, so the item they fall in is found by walking on.
            while pos + 1 < self.starts.len() && self.starts[pos + 1] <= hit {
                pos += 1;
            }
            // Next search starts at the next item: one hit per item is enough.
            from = self.starts.get(pos + 1).copied().unwrap_or(bytes.len());
            let name = self.name(pos);
            if Some(pos) == barcode_hit || !words.iter().all(|w| name.contains(w)) {
                continue;
            }
            if name.starts_with(&q) {
                out.push(pos);
                if out.len() >= limit {
                    return out;
                }
            } else if word_start.len() < limit
                && name.split(' ').any(|part| part.starts_with(words[0]))
            {
                word_start.push(pos);
            } else if inside.len() < limit {
                inside.push(pos);
            }
        }
        out.extend(word_start);
        out.extend(inside);
        out.truncate(limit);
        out
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn barcodes_keep_leading_zeros_letters_and_long_codes_apart() {
        let idx = SearchIndex::build([
            ("a", vec!["0123456789012"]),
            ("b", vec!["123456789012"]),
            ("c", vec!["ABC-123"]),
            ("d", vec!["123456789012345678901"]),
            ("e", vec!["0"]),
        ]);
        assert_eq!(idx.by_barcode("0123456789012"), Some(0));
        assert_eq!(idx.by_barcode("123456789012"), Some(1));
        assert_eq!(idx.by_barcode("00123456789012"), None);
        assert_eq!(idx.by_barcode("ABC-123"), Some(2));
        assert_eq!(idx.by_barcode("abc-123"), None);
        assert_eq!(idx.by_barcode("123456789012345678901"), Some(3));
        assert_eq!(idx.by_barcode("0"), Some(4));
        assert_eq!(idx.by_barcode("00"), None);
        assert_eq!(idx.by_barcode(""), None);
    }

    use super::*;

    #[test]
    fn folds_scripts_case_and_apostrophes() {
        assert_eq!(fold("Go'sht"), "gosht");
        assert_eq!(fold("Goʻsht"), "gosht");
        assert_eq!(fold("Go‘sht"), "gosht");
        assert_eq!(fold("Goʼsht"), "gosht");
        assert_eq!(fold("ГЎШТ"), "gosht");
        // Letters that fold to nothing leave no stray space; folding is idempotent.
        assert_eq!(fold("Ь\n\n;"), ";");
        assert_eq!(fold(&fold("Ь\n\n;")), fold("Ь\n\n;"));
        assert_eq!(fold("подъезд ъ дом"), "podezd dom");
        assert_eq!(fold("Сут"), "sut");
        assert_eq!(fold("  Sut   2.5% "), "sut 2.5%");
        assert_eq!(fold("Чай чёрный"), "chay chyorniy");
        assert_eq!(fold("ҚАТИҚ"), "qatiq");
    }

    fn index() -> (Vec<&'static str>, SearchIndex) {
        let names = vec![
            "Sut 2.5%",
            "Qatiq",
            "Go'sht mol",
            "Кефир",
            "Sariyog' 82%",
            "Yogurt sutli",
        ];
        let codes: Vec<Vec<&str>> = vec![
            vec!["4780000000011"],
            vec![],
            vec![],
            vec!["4600000000012"],
            vec![],
            vec![],
        ];
        let idx = SearchIndex::build(names.iter().copied().zip(codes));
        (names, idx)
    }

    #[test]
    fn finds_by_name_in_either_script() {
        let (_, idx) = index();
        assert_eq!(idx.search("sut", 10), vec![0, 5]);
        assert_eq!(idx.search("СУТ", 10), vec![0, 5]);
        assert_eq!(idx.search("gosht", 10), vec![2]);
        assert_eq!(idx.search("goʻsht", 10), vec![2]);
        assert_eq!(idx.search("kefir", 10), vec![3]);
        assert_eq!(idx.search("sariyog", 10), vec![4]);
        assert_eq!(idx.search("mol go", 10), vec![2], "every word must match");
        assert_eq!(idx.search("yog", 10), vec![5, 4], "prefix before substring");
        assert!(idx.search("", 10).is_empty());
        assert!(idx.search("xyz", 10).is_empty());
        assert_eq!(idx.search("sut", 1), vec![0]);
    }

    #[test]
    fn items_change_in_place_and_new_ones_are_found() {
        let (_, mut idx) = index();
        // Renamed (longer), its barcode replaced: the old name and code find nothing.
        idx.set(0, Some("Sut Musaffo 3.2% 1 litr"), ["4780000000028"]);
        assert_eq!(idx.search("musaffo", 10), vec![0]);
        assert_eq!(idx.by_barcode("4780000000011"), None);
        assert_eq!(idx.by_barcode("4780000000028"), Some(0));
        // The names after it are still found where they are.
        assert_eq!(idx.search("kefir", 10), vec![3]);
        assert_eq!(idx.search("yogurt", 10), vec![5]);
        // Archived: out of every search.
        idx.set(3, None, []);
        assert!(idx.search("kefir", 10).is_empty());
        assert_eq!(idx.by_barcode("4600000000012"), None);
        assert_eq!(idx.search("sariyog", 10), vec![4]);
        // A new product.
        let pos = idx.push("Ayran", ["ABC-9"]);
        assert_eq!(pos, 6);
        assert_eq!(idx.search("ayran", 10), vec![6]);
        assert_eq!(idx.by_barcode("ABC-9"), Some(6));
        assert_eq!(idx.search("sut", 10), vec![0, 5]);
    }

    #[test]
    fn finds_by_barcode() {
        let (_, idx) = index();
        assert_eq!(idx.by_barcode("4600000000012"), Some(3));
        assert_eq!(idx.search("4600000000012", 10), vec![3]);
        assert_eq!(idx.by_barcode("4600000000013"), None);
    }
}
