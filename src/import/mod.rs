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
}

impl Field {
    pub const ALL: [Field; 12] = [
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
    ];
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
        Field::PurchasePrice,
        &[
            "purchase",
            "cost",
            "kirim narx",
            "kelish narx",
            "tannarx",
            "olish narx",
            "закуп",
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
        &[
            "barcode",
            "bar code",
            "ean",
            "shtrix",
            "shtrih",
            "штрих",
            "код",
            "code",
            "kod",
        ],
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

/// Which field each column holds, guessed from its header (each field at most once, the
/// first column that names it).
pub fn guess_columns(header: &[String]) -> Vec<Option<Field>> {
    let mut taken: Vec<Field> = Vec::new();
    header
        .iter()
        .map(|h| {
            let h = fold(h);
            let h = h.trim();
            if h.is_empty() {
                return None;
            }
            let field = WORDS.iter().find_map(|(field, words)| {
                (!taken.contains(field) && words.iter().any(|w| h.contains(&fold(w))))
                    .then_some(*field)
            })?;
            taken.push(field);
            Some(field)
        })
        .collect()
}

/// Yes or no as shops write it ("" is no).
fn parse_yes_no(s: &str) -> Option<bool> {
    const NO: &[&str] = &["", "no", "yoq", "yoʻq", "yo'q", "нет", "0", "false", "-"];
    const YES: &[&str] = &["yes", "ha", "да", "1", "true", "+"];
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
    pub category: Option<String>,
    pub unit: Unit,
    pub purchase_price: Money,
    pub sale_price: Money,
    /// What the file says is in stock (entered as a supply or an adjustment, never written
    /// over the stock).
    pub stock: Option<Quantity>,
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
    let parsed = if cleaned == "0" {
        Ok(Quantity(0))
    } else {
        Quantity::parse(&cleaned).and_then(|q| q.validate_for(unit))
    };
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
            let unit = match parse_unit(get(Field::Unit)) {
                Some(u) => u,
                None => {
                    problems.push(RowProblem::UnknownUnit(get(Field::Unit).to_string()));
                    Unit::Piece
                }
            };
            let mut barcodes = Vec::new();
            for raw in get(Field::Barcodes)
                .split([',', ';', ' ', '\n', '/', '|'])
                .filter(|s| !s.trim().is_empty())
            {
                match barcode::validate(raw) {
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
            let purchase_price = money_cell(
                Field::PurchasePrice,
                get(Field::PurchasePrice),
                &mut problems,
            );
            let sale_text = get(Field::SalePrice);
            if sale_text.is_empty() {
                problems.push(RowProblem::NoSalePrice);
            }
            let sale_price = money_cell(Field::SalePrice, sale_text, &mut problems);
            let stock = quantity_cell(Field::Stock, get(Field::Stock), unit, &mut problems);
            let low_stock =
                quantity_cell(Field::LowStock, get(Field::LowStock), unit, &mut problems);
            let category = Some(get(Field::Category).chars().take(100).collect::<String>())
                .filter(|c| !c.trim().is_empty());
            // Fiscal columns: only those the file has.
            let present = |f: Field| at.contains_key(&f);
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
        P::BadFiscal { field: f, text } => lang.fill(T::RowBadFiscal, &[field(f), text]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
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
                (
                    3,
                    strings(&["Qaymoq", "4780000000013", "litr", "12a", "1,5"]),
                ),
                (4, strings(&["", "4780000000014", "kg", "", "-2"])),
                (5, strings(&["Guruch", "", "кг", "15000,50", "2,345"])),
            ],
        };
        let checked = check(&sheet, &guess_columns(&sheet.header));
        let ok = checked[0].result.as_ref().unwrap();
        assert_eq!(ok.barcodes, strings(&["4780000000014", "4780000000021"]));
        assert_eq!(ok.stock, Some(Quantity(5_000)));
        assert_eq!(ok.sale_price, Money::from_major(12_000));
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
                .any(|p| matches!(p, RowProblem::BadBarcode(c, _) if c == "4780000000013")),
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
        assert_eq!(rice.unit, Unit::Weight);
        assert_eq!(rice.stock, Some(Quantity(2_345)));
        assert_eq!(rice.sale_price, Money(1_500_050));
    }
}
