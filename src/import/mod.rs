//! Reading a product list as shops and suppliers send it: Excel (.xlsx, the old .xls, .ods,
//! through `calamine`) or CSV (UTF-8 with or without a byte-order mark, or Windows-1251 as
//! Excel in Russian saves it; `;`, `,` or tab, through `csv` and `encoding_rs`). The first
//! non-empty row names the columns; [`guess_columns`] maps them from header words in Uzbek,
//! Russian or English; [`check`] turns each row into an [`ImportRow`] or the list of what is
//! wrong with it. Nothing here touches the database: matching against the catalog and the
//! writing are `App::import_catalog`'s.

use std::collections::HashMap;
use std::path::Path;

use crate::domain::barcode::{self, BarcodeError};
use crate::domain::search::fold;
use crate::domain::{Money, Quantity, Unit};

/// A file's cells as text: the header row and the rows under it (with their line numbers in
/// the file, 1-based, for messages).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{0}: the file has no rows")]
    Empty(String),
    #[error("{0}: unknown file type (xlsx, xls, ods or csv)")]
    UnknownType(String),
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Barcodes,
    Category,
    Unit,
    PurchasePrice,
    SalePrice,
    Stock,
    LowStock,
    /// MXIK/IKPU class code (fiscal receipts).
    ClassCode,
    PackageCode,
    /// VAT rate: 12, 0 or exempt.
    Vat,
    /// Marked goods (yes/no).
    Marked,
    /// Sold by weight (yes/no), as Loyverse writes the unit.
    ByWeight,
}

impl Field {
    pub const ALL: [Field; 13] = [
        Field::Name,
        Field::Barcodes,
        Field::Category,
        Field::Unit,
        Field::PurchasePrice,
        Field::SalePrice,
        Field::Stock,
        Field::LowStock,
        Field::ClassCode,
        Field::PackageCode,
        Field::Vat,
        Field::Marked,
        Field::ByWeight,
    ];

    /// The field's name on the command line (`--map sale-price=…`).
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Barcodes => "barcode",
            Field::Category => "category",
            Field::Unit => "unit",
            Field::PurchasePrice => "purchase-price",
            Field::SalePrice => "sale-price",
            Field::Stock => "stock",
            Field::LowStock => "low-stock",
            Field::ClassCode => "class-code",
            Field::PackageCode => "package-code",
            Field::Vat => "vat",
            Field::Marked => "marked",
            Field::ByWeight => "by-weight",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        let s = if s == "barcodes" {
            "barcode".to_string()
        } else {
            s
        };
        Field::ALL.into_iter().find(|f| f.key() == s)
    }
}

/// Reads the first sheet of a workbook or a CSV file.
pub fn read(path: &Path) -> Result<Sheet, ReadError> {
    let shown = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let unreadable = |reason: String| ReadError::Unreadable {
        path: shown.clone(),
        reason,
    };
    let grid: Vec<Vec<String>> = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => {
            use calamine::{Reader, open_workbook_auto};
            let mut book = open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(|| ReadError::Empty(shown.clone()))?
                .map_err(|e| unreadable(e.to_string()))?;
            range
                .rows()
                .map(|r| r.iter().map(cell_text).collect())
                .collect()
        }
        "csv" | "txt" | "tsv" => {
            let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
            csv_grid(&bytes).map_err(unreadable)?
        }
        _ => return Err(ReadError::UnknownType(shown)),
    };
    sheet_of(grid).ok_or(ReadError::Empty(shown))
}

/// The grid's first non-empty row as the header, the rest (non-empty) as rows.
fn sheet_of(grid: Vec<Vec<String>>) -> Option<Sheet> {
    let mut lines = grid
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i + 1, r))
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    let (_, header) = lines.next()?;
    Some(Sheet {
        header: header.into_iter().map(|h| h.trim().to_string()).collect(),
        rows: lines.collect(),
    })
}

/// A workbook cell as text. Whole numbers (barcodes typed as numbers) lose their ".0".
fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// CSV bytes as a grid: UTF-8 (a byte-order mark dropped) or else Windows-1251; the
/// separator is whichever of `;`, tab and `,` the first line has most of.
fn csv_grid(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1251.decode(bytes).0.into_owned(),
    };
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        grid.push(record.iter().map(str::to_string).collect());
    }
    Ok(grid)
}

/// Header words for each field (folded: lower case, Cyrillic and Latin as `fold` makes them).
/// More specific words come first: "kirim narxi" is the purchase price, "narxi" the sale price.
const WORDS: &[(Field, &[&str])] = &[
    // Before the barcodes: "MXIK kodi", "Qadoq kodi" are not barcodes.
    (
        Field::ClassCode,
        &["mxik", "ikpu", "икпу", "мхик", "class code", "tasnif"],
    ),
    (Field::PackageCode, &["package", "qadoq", "упаков"]),
    (Field::Vat, &["vat", "qqs", "ндс"]),
    (Field::Marked, &["marked", "marking", "markirov", "маркир"]),
    (
        Field::ByWeight,
        &[
            "sold by weight",
            "by weight",
            "weighed",
            "весов",
            "на вес",
            "vaznli",
            "tortiladi",
        ],
    ),
    (
        Field::PurchasePrice,
        &[
            "purchase",
            "cost price",
            "purchase price",
            "cost",
            "kirim narx",
            "kelish narx",
            "tannarx",
            "olish narx",
            "закуп",
            "поставк",
            "себестоим",
            "входн",
            "приход",
        ],
    ),
    (
        Field::LowStock,
        &[
            "threshold",
            "low stock",
            "reorder",
            "мин. остат",
            "min qoldiq",
            "minimum",
            "min stock",
            "chegara",
            "kam qoldi",
            "минимал",
            "мин.",
            "порог",
            "минимум",
        ],
    ),
    (
        Field::Barcodes,
        &["barcode", "bar code", "ean", "shtrix", "shtrih", "штрих"],
    ),
    (
        Field::Category,
        &[
            "category",
            "kategor",
            "toifa",
            "guruh",
            "категор",
            "группа",
            "group",
        ],
    ),
    (
        Field::Unit,
        &[
            "unit",
            "birlik",
            "o'lchov",
            "olchov",
            "ед.",
            "единиц",
            "ед изм",
            "measure",
        ],
    ),
    (
        Field::SalePrice,
        &[
            "sale price",
            "price",
            "sotuv",
            "narx",
            "цена",
            "розн",
            "продаж",
            "стоимость",
        ],
    ),
    (
        Field::Stock,
        &[
            "stock",
            "qoldiq",
            "soni",
            "miqdor",
            "остат",
            "количест",
            "кол-во",
            "qty",
            "quantity",
            "in stock",
        ],
    ),
    (
        Field::Name,
        &[
            "name",
            "nomi",
            "nom",
            "mahsulot",
            "tovar",
            "наимен",
            "назван",
            "товар",
            "product",
            "item",
        ],
    ),
];

/// Words that name a field only when no column names it better: 1C's "Код" is its own item
/// code, and "Штрихкод" beside it is the barcode; "Item has serial number" is no name.
const WEAK: &[(Field, &[&str])] = &[
    (Field::Barcodes, &["код", "code", "kod"]),
    (Field::Name, &["item", "product", "mahsulot"]),
];

/// Words that make a column money: such a column is never a unit, a quantity or a code
/// ("Unit Price" is a price).
const MONEY: &[&str] = &[
    "price",
    "cost",
    "narx",
    "цена",
    "стоим",
    "сум",
    "sum",
    "soʻm",
    "so'm",
    "som",
    "себестоим",
];

/// How well a folded header names a field through `word`: the whole header 1000 and more; a
/// word of it (at a word's start) 100 and more, longer words more and headers with fewer
/// other words more ("In stock [Shop]" is the stock, "Quantity of included item" less so);
/// inside a word a little.
fn word_score(header: &str, word: &str) -> u32 {
    let w = fold(word);
    let len = w.chars().count() as u32;
    if header == w {
        return 1000 + len;
    }
    let extra = header
        .split_whitespace()
        .count()
        .saturating_sub(w.split_whitespace().count()) as u32;
    let mut best = 0;
    for (i, _) in header.match_indices(&w) {
        let at_start = header[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let score = if at_start {
            (100 + 4 * len).saturating_sub(3 * extra)
        } else {
            10 + len
        };
        best = best.max(score);
    }
    best
}

/// How well a header names each field (0: not at all).
fn scores(header: &str) -> Vec<(Field, u32)> {
    let h = fold(header);
    let h = h.trim();
    if h.is_empty() {
        return Vec::new();
    }
    let money = MONEY.iter().any(|w| h.contains(&fold(w)));
    let mut out = Vec::new();
    for (field, words) in WORDS {
        if money
            && matches!(
                field,
                Field::Unit | Field::Stock | Field::LowStock | Field::Barcodes
            )
        {
            continue;
        }
        let score = words.iter().map(|w| word_score(h, w)).max().unwrap_or(0);
        if score > 0 {
            out.push((*field, score));
        }
    }
    for (field, words) in WEAK {
        if money || out.iter().any(|(f, _)| f == field) {
            continue;
        }
        let exact = words.iter().any(|w| fold(w) == h);
        let inside = words.iter().any(|w| word_score(h, w) >= 100);
        if exact || inside {
            out.push((*field, if exact { 3 } else { 1 }));
        }
    }
    out
}

/// Which field each column holds, guessed from its header: the best-named pairs first (a
/// whole-header match before a word of it, a longer word before a shorter, a weak word last),
/// each field at most once and each column at most once.
pub fn guess_columns(header: &[String]) -> Vec<Option<Field>> {
    let mut pairs: Vec<(u32, usize, Field)> = header
        .iter()
        .enumerate()
        .flat_map(|(i, h)| scores(h).into_iter().map(move |(f, s)| (s, i, f)))
        .collect();
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<Option<Field>> = vec![None; header.len()];
    for (_, col, field) in pairs {
        if out[col].is_none() && !out.contains(&Some(field)) {
            out[col] = Some(field);
        }
    }
    out
}

/// Applies `--map FIELD=COLUMN` choices over the guess: the column (its header, or its number
/// from 1) holds the field; `FIELD=` leaves the field out. Refused in words when a choice
/// names no field or no column.
pub fn apply_map(
    header: &[String],
    columns: &mut [Option<Field>],
    choices: &[String],
) -> Result<(), String> {
    for choice in choices {
        let Some((field, column)) = choice.split_once('=') else {
            return Err(format!("--map {choice}: write FIELD=COLUMN"));
        };
        let Some(field) = Field::parse(field) else {
            let known: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
            return Err(format!(
                "--map {choice}: no field {field:?} (one of {})",
                known.join(", ")
            ));
        };
        for c in columns.iter_mut() {
            if *c == Some(field) {
                *c = None;
            }
        }
        let column = column.trim();
        if column.is_empty() {
            continue;
        }
        let at = header
            .iter()
            .position(|h| fold(h).trim() == fold(column).trim())
            .or_else(|| {
                column
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=header.len()).contains(n))
                    .map(|n| n - 1)
            });
        match at {
            Some(i) => columns[i] = Some(field),
            None => return Err(format!("--map {choice}: the file has no column {column:?}")),
        }
    }
    Ok(())
}

/// Yes or no as shops write it ("" is no).
fn parse_yes_no(s: &str) -> Option<bool> {
    const NO: &[&str] = &[
        "", "no", "n", "yoq", "yoʻq", "yo'q", "нет", "0", "false", "-",
    ];
    const YES: &[&str] = &["yes", "y", "ha", "да", "1", "true", "+"];
    let s = fold(s);
    let s = s.trim();
    if NO.iter().any(|w| fold(w) == s) {
        Some(false)
    } else if YES.iter().any(|w| fold(w) == s) {
        Some(true)
    } else {
        None
    }
}

/// A unit as shops write it: dona/шт/pcs/piece or kg/кг/weight.
pub fn parse_unit(s: &str) -> Option<Unit> {
    const PIECE: &[&str] = &[
        "",
        "dona",
        "ta",
        "шт",
        "штук",
        "штука",
        "pcs",
        "pc",
        "piece",
        "pieces",
        "ед",
    ];
    const WEIGHT: &[&str] = &["kg", "кг", "kilogram", "килограмм", "weight", "vazn"];
    let s = fold(s);
    let s = s.trim().trim_end_matches('.');
    if PIECE.iter().any(|w| fold(w) == s) {
        Some(Unit::Piece)
    } else if WEIGHT.iter().any(|w| fold(w) == s) {
        Some(Unit::Weight)
    } else {
        Unit::parse(s)
    }
}

/// One good row, ready to be matched against the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    /// The line in the file.
    pub line: usize,
    pub name: String,
    pub barcodes: Vec<String>,
    /// `None`: no category column (nothing changes); `Some(None)`: an empty cell (no
    /// category).
    pub category: Option<Option<String>>,
    /// `None`: no unit column or an empty cell (a new product is sold by the piece, an
    /// existing one keeps its unit).
    pub unit: Option<Unit>,
    /// `None`: no such column (nothing changes; a new product costs 0); an empty cell is 0.
    pub purchase_price: Option<Money>,
    /// `None`: no such column (nothing changes; a new product is refused without it).
    pub sale_price: Option<Money>,
    /// What the file says is in stock (entered as a supply or an adjustment, never written
    /// over the stock); `None` when the column is absent or the cell empty. Below zero only
    /// where the shop allows negative stock, as the export writes it.
    pub stock: Option<Quantity>,
    /// `None`: no such column (nothing changes); an empty cell is 0 (no alert).
    pub low_stock: Option<Quantity>,
    /// The fiscal columns the file has (`None`: the column is absent, nothing changes).
    pub class_code: Option<String>,
    pub package_code: Option<String>,
    pub vat: Option<crate::domain::fiscal::Vat>,
    pub marked: Option<bool>,
}

/// What is wrong with a row (shown in the user's language by [`row_problem_text`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    NoName,
    NoSalePrice,
    BadBarcode(String, BarcodeError),
    /// The same barcode on an earlier line of the file.
    DuplicateBarcode {
        code: String,
        line: usize,
    },
    /// The barcode belongs to another product of the catalog.
    BarcodeElsewhere {
        code: String,
        product: String,
    },
    /// An earlier line of the file already updates the same product.
    SameProduct {
        product: String,
        line: usize,
    },
    BadMoney {
        field: Field,
        text: String,
    },
    BadQuantity {
        field: Field,
        text: String,
    },
    UnknownUnit(String),
    /// The file changes the unit of a product that has stock (its count would change
    /// meaning: 186,052 kg are not 186 052 pieces).
    UnitWithStock {
        product: String,
    },
    /// A quantity with a fraction for a product sold by the piece.
    FractionForPieces {
        field: Field,
        text: String,
    },
    /// A fiscal column (class or package code, VAT, marked) that cannot be read.
    BadFiscal {
        field: Field,
        text: String,
    },
}

/// A row's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub line: usize,
    pub result: Result<ImportRow, Vec<RowProblem>>,
}

fn money_cell(field: Field, text: &str, problems: &mut Vec<RowProblem>) -> Money {
    if text.trim().is_empty() {
        return Money::ZERO;
    }
    match Money::parse(text) {
        Ok(m) if m <= crate::domain::money::MAX_MONEY => m,
        _ => {
            problems.push(RowProblem::BadMoney {
                field,
                text: text.trim().to_string(),
            });
            Money::ZERO
        }
    }
}

fn quantity_cell(
    field: Field,
    text: &str,
    unit: Unit,
    problems: &mut Vec<RowProblem>,
) -> Option<Quantity> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}'))
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    // Stock below zero, as the export writes it where the shop allows it (either minus sign).
    let (negative, digits) = match cleaned.strip_prefix(['-', '−']) {
        Some(rest) if field == Field::Stock => (true, rest.to_string()),
        _ => (false, cleaned.clone()),
    };
    let parsed = if digits == "0" {
        Ok(Quantity(0))
    } else {
        Quantity::parse(&digits).and_then(|q| q.validate_for(unit))
    };
    let parsed = parsed.map(|q| if negative { Quantity(-q.0) } else { q });
    match parsed {
        Ok(q) if q <= crate::domain::quantity::MAX_QUANTITY => Some(q),
        _ => {
            problems.push(RowProblem::BadQuantity {
                field,
                text: text.trim().to_string(),
            });
            None
        }
    }
}

/// Checks every row of `sheet` with the columns mapped by `columns`: names, barcodes (check
/// digits, duplicates inside the file), unit, prices and quantities.
pub fn check(sheet: &Sheet, columns: &[Option<Field>]) -> Vec<Checked> {
    let col = |f: Field| columns.iter().position(|c| *c == Some(f));
    let at: HashMap<Field, usize> = Field::ALL
        .iter()
        .filter_map(|f| col(*f).map(|i| (*f, i)))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    sheet
        .rows
        .iter()
        .map(|(line, cells)| {
            let get = |f: Field| {
                at.get(&f)
                    .and_then(|i| cells.get(*i))
                    .map(|s| s.trim())
                    .unwrap_or("")
            };
            let mut problems = Vec::new();
            let name: String = get(Field::Name).chars().take(200).collect();
            if name.trim().is_empty() {
                problems.push(RowProblem::NoName);
            }
            let present = |f: Field| at.contains_key(&f);
            // The unit the file gives (an empty cell gives none).
            let unit = if get(Field::Unit).is_empty() {
                None
            } else {
                match parse_unit(get(Field::Unit)) {
                    Some(u) => Some(u),
                    None => {
                        problems.push(RowProblem::UnknownUnit(get(Field::Unit).to_string()));
                        None
                    }
                }
            };
            // "Sold by weight: Y/N" (Loyverse) gives the unit when the file has no unit column.
            let unit = match unit {
                None if present(Field::ByWeight) && !get(Field::ByWeight).is_empty() => {
                    match parse_yes_no(get(Field::ByWeight)) {
                        Some(true) => Some(Unit::Weight),
                        Some(false) => Some(Unit::Piece),
                        None => {
                            problems
                                .push(RowProblem::UnknownUnit(get(Field::ByWeight).to_string()));
                            None
                        }
                    }
                }
                u => u,
            };
            // Quantities are read as weights when the unit is not in the file; the catalog
            // check refuses a fraction for a product sold by the piece.
            let qty_unit = unit.unwrap_or(Unit::Weight);
            let mut barcodes = Vec::new();
            for raw in get(Field::Barcodes)
                .split([',', ';', ' ', '\n', '/', '|'])
                .filter(|s| !s.trim().is_empty())
            {
                match barcode::validate_shop(raw) {
                    Ok(code) => {
                        if let Some(first) = seen.get(&code) {
                            problems.push(RowProblem::DuplicateBarcode { code, line: *first });
                        } else if !barcodes.contains(&code) {
                            seen.insert(code.clone(), *line);
                            barcodes.push(code);
                        }
                    }
                    Err(e) => problems.push(RowProblem::BadBarcode(raw.trim().to_string(), e)),
                }
            }
            let purchase_price = present(Field::PurchasePrice).then(|| {
                money_cell(
                    Field::PurchasePrice,
                    get(Field::PurchasePrice),
                    &mut problems,
                )
            });
            let sale_price = if present(Field::SalePrice) {
                let sale_text = get(Field::SalePrice);
                if sale_text.is_empty() {
                    problems.push(RowProblem::NoSalePrice);
                }
                Some(money_cell(Field::SalePrice, sale_text, &mut problems))
            } else {
                None
            };
            let stock = quantity_cell(Field::Stock, get(Field::Stock), qty_unit, &mut problems);
            let low_stock = if present(Field::LowStock) {
                Some(
                    quantity_cell(
                        Field::LowStock,
                        get(Field::LowStock),
                        qty_unit,
                        &mut problems,
                    )
                    .unwrap_or(Quantity(0)),
                )
            } else {
                None
            };
            let category = present(Field::Category).then(|| {
                Some(get(Field::Category).chars().take(100).collect::<String>())
                    .filter(|c| !c.trim().is_empty())
            });
            // Fiscal columns: only those the file has.
            let mut bad = |field: Field, text: &str| {
                problems.push(RowProblem::BadFiscal {
                    field,
                    text: text.to_string(),
                })
            };
            use crate::domain::fiscal as fd;
            let class_code = present(Field::ClassCode)
                .then(|| fd::class_code(get(Field::ClassCode)))
                .and_then(|r| {
                    r.map_err(|_| bad(Field::ClassCode, get(Field::ClassCode)))
                        .ok()
                });
            let package_code = present(Field::PackageCode)
                .then(|| fd::package_code(get(Field::PackageCode)))
                .and_then(|r| {
                    r.map_err(|_| bad(Field::PackageCode, get(Field::PackageCode)))
                        .ok()
                });
            let vat = present(Field::Vat)
                .then(|| fd::Vat::parse(get(Field::Vat)))
                .and_then(|v| {
                    if v.is_none() {
                        bad(Field::Vat, get(Field::Vat));
                    }
                    v
                });
            let marked = present(Field::Marked)
                .then(|| parse_yes_no(get(Field::Marked)))
                .and_then(|v| {
                    if v.is_none() {
                        bad(Field::Marked, get(Field::Marked));
                    }
                    v
                });
            Checked {
                line: *line,
                result: if problems.is_empty() {
                    Ok(ImportRow {
                        line: *line,
                        name: name.trim().to_string(),
                        barcodes,
                        category,
                        unit,
                        purchase_price,
                        sale_price,
                        stock,
                        low_stock,
                        class_code,
                        package_code,
                        vat,
                        marked,
                    })
                } else {
                    Err(problems)
                },
            }
        })
        .collect()
}

use crate::i18n::{Lang, T};

/// The name of a product-list column.
pub fn field_label(f: Field) -> T {
    use Field;
    match f {
        Field::Name => T::CatName,
        Field::Barcodes => T::CatBarcodes,
        Field::Category => T::CatCategory,
        Field::Unit => T::CatUnit,
        Field::PurchasePrice => T::CatPurchasePrice,
        Field::SalePrice => T::CatSalePrice,
        Field::Stock => T::CatStock,
        Field::LowStock => T::CatLowStock,
        Field::ClassCode => T::CatClassCode,
        Field::PackageCode => T::CatPackageCode,
        Field::Vat => T::CatVat,
        Field::Marked => T::CatMarked,
        Field::ByWeight => T::CatByWeight,
    }
}

/// What is wrong with a row of an imported product list, in the user's language.
pub fn row_problem_text(lang: Lang, p: &RowProblem) -> String {
    use crate::domain::barcode::BarcodeError as B;
    use RowProblem as P;
    let field = |f: &Field| lang.t(field_label(*f));
    match p {
        P::NoName => lang.t(T::RowNoName).into(),
        P::NoSalePrice => lang.t(T::RowNoSalePrice).into(),
        P::BadBarcode(code, e) => lang.fill(
            T::ErrBarcode,
            &[&match e {
                B::Empty => lang.t(T::BcEmpty).to_string(),
                B::Malformed(_) => lang.fill(T::BcMalformed, &[code]),
                B::CheckDigit(_) => lang.fill(T::BcCheckDigit, &[code]),
            }],
        ),
        P::DuplicateBarcode { code, line } => {
            lang.fill(T::RowDuplicate, &[code, &line.to_string()])
        }
        P::BarcodeElsewhere { code, product } => lang.fill(T::RowElsewhere, &[code, product]),
        P::SameProduct { product, line } => {
            lang.fill(T::RowSameProduct, &[product, &line.to_string()])
        }
        P::BadMoney { field: f, text } => lang.fill(T::RowBadMoney, &[field(f), text]),
        P::BadQuantity { field: f, text } => lang.fill(T::RowBadQty, &[field(f), text]),
        P::UnknownUnit(u) => lang.fill(T::RowUnknownUnit, &[u]),
        P::UnitWithStock { product } => lang.fill(T::RowUnitWithStock, &[product]),
        P::FractionForPieces { field: f, text } => {
            lang.fill(T::RowFractionForPieces, &[field(f), text])
        }
        P::BadFiscal { field: f, text } => lang.fill(T::RowBadFiscal, &[field(f), text]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// Files as other systems export them: each column to its field, a money column never a
    /// unit, 1C's own "Код" left out beside its "Штрихкод"; `--map` overrides.
    #[test]
    fn layouts_of_other_systems() {
        use Field::*;
        // OpenSourcePOS's import template.
        let ospos = strings(&[
            "Barcode",
            "Item Name",
            "Category",
            "Supplier ID",
            "Cost Price",
            "Unit Price",
            "Tax 1 Name",
            "Tax 1 Percent",
            "Tax 2 Name",
            "Tax 2 Percent",
            "Reorder Level",
            "Description",
            "Allow Alt Description",
            "Item has Serial Number",
            "Image",
            "quantity1",
        ]);
        let got = guess_columns(&ospos);
        let want = [
            ("Barcode", Some(Barcodes)),
            ("Item Name", Some(Name)),
            ("Category", Some(Category)),
            ("Supplier ID", None),
            ("Cost Price", Some(PurchasePrice)),
            ("Unit Price", Some(SalePrice)),
            ("Tax 1 Name", None),
            ("Reorder Level", Some(LowStock)),
            ("Item has Serial Number", None),
            ("quantity1", Some(Stock)),
        ];
        for (head, field) in want {
            let i = ospos.iter().position(|h| h == head).unwrap();
            assert_eq!(got[i], field, "OpenSourcePOS {head}");
        }
        // Loyverse's export.
        let loyverse = strings(&[
            "Handle",
            "SKU",
            "Name",
            "Category",
            "Sold by weight",
            "Option 1 name",
            "Option 1 value",
            "Cost",
            "Barcode",
            "SKU of included item",
            "Quantity of included item",
            "Track stock",
            "Available for sale [Shop]",
            "Price [Shop]",
            "In stock [Shop]",
            "Low stock [Shop]",
        ]);
        let got = guess_columns(&loyverse);
        let want = [
            ("Handle", None),
            ("SKU", None),
            ("Name", Some(Name)),
            ("Category", Some(Category)),
            ("Sold by weight", Some(ByWeight)),
            ("Option 1 name", None),
            ("Cost", Some(PurchasePrice)),
            ("Barcode", Some(Barcodes)),
            ("Quantity of included item", None),
            ("Track stock", None),
            ("Price [Shop]", Some(SalePrice)),
            ("In stock [Shop]", Some(Stock)),
            ("Low stock [Shop]", Some(LowStock)),
        ];
        for (head, field) in want {
            let i = loyverse.iter().position(|h| h == head).unwrap();
            assert_eq!(got[i], field, "Loyverse {head}");
        }
        // 1C: its own "Код" before the barcode.
        assert_eq!(
            guess_columns(&strings(&[
                "Код",
                "Наименование",
                "Артикул",
                "Штрихкод",
                "Единица измерения",
                "Цена",
                "Количество"
            ])),
            vec![
                None,
                Some(Name),
                None,
                Some(Barcodes),
                Some(Unit),
                Some(SalePrice),
                Some(Stock)
            ]
        );
        // BILLZ's product export.
        assert_eq!(
            guess_columns(&strings(&[
                "Название товара",
                "Артикул",
                "Штрихкод",
                "Категория",
                "Поставщик",
                "Цена поставки",
                "Цена продажи",
                "Остаток",
                "Ед. изм."
            ])),
            vec![
                Some(Name),
                None,
                Some(Barcodes),
                Some(Category),
                None,
                Some(PurchasePrice),
                Some(SalePrice),
                Some(Stock),
                Some(Unit)
            ]
        );
        // Only "Код": then it is the code to match by.
        assert_eq!(
            guess_columns(&strings(&["Код", "Наименование", "Цена"])),
            vec![Some(Barcodes), Some(Name), Some(SalePrice)]
        );
        // --map: by header and by number, and a field left out.
        let header = strings(&["Код", "Наименование", "Штрихкод", "Цена"]);
        let mut cols = guess_columns(&header);
        apply_map(
            &header,
            &mut cols,
            &["barcode=код".to_string(), "sale-price=".to_string()],
        )
        .unwrap();
        assert_eq!(cols, vec![Some(Barcodes), Some(Name), None, None]);
        apply_map(&header, &mut cols, &["sale-price=4".to_string()]).unwrap();
        assert_eq!(cols[3], Some(SalePrice));
        assert!(apply_map(&header, &mut cols, &["price=4".to_string()]).is_err());
        assert!(apply_map(&header, &mut cols, &["stock=Qoldiq".to_string()]).is_err());
        assert!(apply_map(&header, &mut cols, &["stock".to_string()]).is_err());
    }

    #[test]
    fn headers_in_three_languages() {
        use Field::*;
        assert_eq!(
            guess_columns(&strings(&[
                "Наименование",
                "Штрих-код",
                "Группа",
                "Ед. изм.",
                "Цена закупки",
                "Цена продажи",
                "Остаток",
                "Мин. остаток"
            ])),
            vec![
                Some(Name),
                Some(Barcodes),
                Some(Category),
                Some(Unit),
                Some(PurchasePrice),
                Some(SalePrice),
                Some(Stock),
                Some(LowStock)
            ]
        );
        assert_eq!(
            guess_columns(&strings(&[
                "Nomi",
                "Shtrix-kod",
                "Kirim narxi",
                "Sotuv narxi",
                "Qoldiq",
                "№"
            ])),
            vec![
                Some(Name),
                Some(Barcodes),
                Some(PurchasePrice),
                Some(SalePrice),
                Some(Stock),
                None
            ]
        );
        assert_eq!(
            guess_columns(&strings(&["Product name", "Barcode", "Price", "Cost"])),
            vec![
                Some(Name),
                Some(Barcodes),
                Some(SalePrice),
                Some(PurchasePrice)
            ]
        );
    }

    #[test]
    fn csv_in_windows_1251_with_semicolons() {
        let text = "Наименование;Штрихкод;Цена\r\nМолоко;4780000000014;12 000\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let sheet = sheet_of(csv_grid(&bytes).unwrap()).unwrap();
        assert_eq!(sheet.header, strings(&["Наименование", "Штрихкод", "Цена"]));
        assert_eq!(
            sheet.rows,
            vec![(2, strings(&["Молоко", "4780000000014", "12 000"]))]
        );
        // UTF-8 with a byte-order mark and commas.
        let sheet =
            sheet_of(csv_grid("\u{feff}Name,Price\n\"Non, katta\",4000\n".as_bytes()).unwrap())
                .unwrap();
        assert_eq!(sheet.rows, vec![(2, strings(&["Non, katta", "4000"]))]);
    }

    #[test]
    fn every_problem_of_a_row_is_named() {
        let sheet = Sheet {
            header: strings(&["Nomi", "Shtrix-kod", "Birlik", "Sotuv narxi", "Qoldiq"]),
            rows: vec![
                (
                    2,
                    strings(&["Sut", "4780000000014 4780000000021", "dona", "12 000", "5"]),
                ),
                (3, strings(&["Qaymoq", "4780000!013", "litr", "12a", "1,5"])),
                (4, strings(&["", "4780000000014", "kg", "", "2 kg"])),
                (5, strings(&["Guruch", "", "кг", "15000,50", "2,345"])),
            ],
        };
        let checked = check(&sheet, &guess_columns(&sheet.header));
        let ok = checked[0].result.as_ref().unwrap();
        assert_eq!(ok.barcodes, strings(&["4780000000014", "4780000000021"]));
        assert_eq!(ok.stock, Some(Quantity(5_000)));
        assert_eq!(ok.sale_price, Some(Money::from_major(12_000)));
        let bad = checked[1].result.as_ref().unwrap_err();
        assert!(
            bad.contains(&RowProblem::UnknownUnit("litr".into())),
            "{bad:?}"
        );
        assert!(
            bad.contains(&RowProblem::BadMoney {
                field: Field::SalePrice,
                text: "12a".into()
            }),
            "{bad:?}"
        );
        assert!(
            bad.iter()
                .any(|p| matches!(p, RowProblem::BadBarcode(c, _) if c == "4780000!013")),
            "{bad:?}"
        );
        let bad = checked[2].result.as_ref().unwrap_err();
        assert!(bad.contains(&RowProblem::NoName));
        assert!(bad.contains(&RowProblem::NoSalePrice));
        assert!(bad.contains(&RowProblem::DuplicateBarcode {
            code: "4780000000014".into(),
            line: 2
        }));
        assert!(
            bad.iter()
                .any(|p| matches!(p, RowProblem::BadQuantity { .. }))
        );
        let rice = checked[3].result.as_ref().unwrap();
        assert_eq!(rice.unit, Some(Unit::Weight));
        assert_eq!(rice.stock, Some(Quantity(2_345)));
        assert_eq!(rice.sale_price, Some(Money(1_500_050)));
    }
}
