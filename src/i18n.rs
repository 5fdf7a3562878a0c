//! The translation catalog: every string the GUI, the receipt and the bot show, in Uzbek (Latin, the default),
//! Russian and English. A missing translation is a compile error, because each entry of the
//! `messages!` table must name all three. Strings with `{}` are filled by [`Lang::fill`].
//!
//! This module depends on nothing above `domain`: each layer words its own errors beside
//! their definitions through this catalog (`app::error_text`, `store::store_error_text`,
//! `import::row_problem_text`, `export::export_error_text`).

use crate::domain::Role;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Uz,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Uz, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Uz => "uz",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "uz" => Some(Lang::Uz),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, for the switcher.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Uz => "Oʻzbekcha",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    pub fn t(self, key: T) -> &'static str {
        key.get(self)
    }

    /// The text of `key` with each `{}` replaced by the next argument.
    pub fn fill(self, key: T, args: &[&str]) -> String {
        let mut out = String::new();
        let mut rest = key.get(self);
        let mut args = args.iter();
        while let Some(pos) = rest.find("{}") {
            out.push_str(&rest[..pos]);
            out.push_str(args.next().copied().unwrap_or(""));
            rest = &rest[pos + 2..];
        }
        out.push_str(rest);
        out
    }

    /// A payment method's name ("cash", "card", "nasiya" as stored).
    pub fn method(self, method: &str) -> &'static str {
        match method {
            "cash" => self.t(T::Cash),
            "card" => self.t(T::Card),
            _ => self.t(T::Nasiya),
        }
    }

    /// A count with its noun in the right form: "3 ta tovar", "1 позиция", "2 позиции",
    /// "5 позиций", "1 item", "2 items".
    pub fn count(self, n: u64, noun: Noun) -> String {
        let (uz, ru, en) = noun.forms();
        let word = match self {
            Lang::Uz => return format!("{n} ta {uz}"),
            Lang::Ru => ru[russian_form(n)],
            Lang::En if n == 1 => en[0],
            Lang::En => en[1],
        };
        format!("{n} {word}")
    }

    pub fn role(self, role: Role) -> &'static str {
        match role {
            Role::Cashier => self.t(T::RoleCashier),
            Role::Manager => self.t(T::RoleManager),
            Role::Admin => self.t(T::RoleAdmin),
        }
    }
}

/// How every time is shown to a person (screens, receipts, reports): the shop's local time,
/// day first, "24.11.2026 12:05".
pub const TIME_FORMAT: &str = "%d.%m.%Y %H:%M";
/// How every date is shown to a person: "24.11.2026".
pub const DATE_FORMAT: &str = "%d.%m.%Y";

/// A stored UTC time as the shop's local time in [`TIME_FORMAT`].
pub fn local_time(tz: chrono_tz::Tz, at: chrono::NaiveDateTime) -> String {
    at.and_utc()
        .with_timezone(&tz)
        .format(TIME_FORMAT)
        .to_string()
}

/// A calendar date in [`DATE_FORMAT`].
pub fn date_text(d: chrono::NaiveDate) -> String {
    d.format(DATE_FORMAT).to_string()
}

/// What [`Lang::count`] counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noun {
    /// A cart's lines.
    Item,
    /// Telegram messages.
    Message,
    /// Customers.
    Customer,
}

impl Noun {
    /// Uzbek (one form after a number), Russian (one, few, many), English (one, other).
    fn forms(self) -> (&'static str, [&'static str; 3], [&'static str; 2]) {
        match self {
            Noun::Item => (
                "tovar",
                ["позиция", "позиции", "позиций"],
                ["item", "items"],
            ),
            Noun::Message => (
                "xabar",
                ["сообщение", "сообщения", "сообщений"],
                ["message", "messages"],
            ),
            Noun::Customer => (
                "mijoz",
                ["клиент", "клиента", "клиентов"],
                ["customer", "customers"],
            ),
        }
    }
}

/// The Russian form after `n`: 0 for 1, 21, 101 ("позиция"), 1 for 2–4, 22–24 ("позиции"),
/// 2 for the rest, 11–14 included ("позиций").
fn russian_form(n: u64) -> usize {
    match (n % 10, n % 100) {
        (_, 11..=14) => 2,
        (1, _) => 0,
        (2..=4, _) => 1,
        _ => 2,
    }
}

macro_rules! messages {
    ($($key:ident => [$uz:expr, $ru:expr, $en:expr]),* $(,)?) => {
        /// A translatable string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum T { $($key),* }

        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];

            pub fn get(self, lang: Lang) -> &'static str {
                match self {
                    $(T::$key => match lang { Lang::Uz => $uz, Lang::Ru => $ru, Lang::En => $en }),*
                }
            }
        }
    };
}

messages! {
    AppTitle => ["Kassa", "Касса", "Kassa"],
    Login => ["Login", "Логин", "Login"],
    Password => ["Parol", "Пароль", "Password"],
    LogIn => ["Kirish (Enter)", "Войти (Enter)", "Log in (Enter)"],
    LoggingIn => ["Tekshirilmoqda…", "Проверка…", "Checking…"],
    Language => ["Til", "Язык", "Language"],
    ChangePasswordTitle => ["Yangi parol oʻrnating", "Задайте новый пароль", "Set a new password"],
    ChangePasswordWhy => [
        "Standart parol bilan ishlab boʻlmaydi. Kamida 8 belgidan iborat yangi parol kiriting.",
        "Со стандартным паролем работать нельзя. Введите новый пароль не короче 8 символов.",
        "The default password cannot be kept. Enter a new password of at least 8 characters."
    ],
    OldPassword => ["Joriy parol", "Текущий пароль", "Current password"],
    NewPassword => ["Yangi parol", "Новый пароль", "New password"],
    RepeatPassword => ["Yangi parolni takrorlang", "Повторите новый пароль", "Repeat the new password"],
    PasswordsDiffer => ["Parollar mos kelmadi", "Пароли не совпадают", "The passwords do not match"],
    Save => ["Saqlash (Enter)", "Сохранить (Enter)", "Save (Enter)"],
    LogOut => ["Chiqish (Ctrl+Q)", "Выйти (Ctrl+Q)", "Log out (Ctrl+Q)"],
    RoleCashier => ["Kassir", "Кассир", "Cashier"],
    RoleManager => ["Menejer", "Менеджер", "Manager"],
    RoleAdmin => ["Administrator", "Администратор", "Admin"],
    TabTill => ["Kassa", "Касса", "Till"],
    TabProducts => ["Mahsulotlar", "Товары", "Products"],
    TabStock => ["Ombor", "Склад", "Stock"],
    TabCustomers => ["Mijozlar", "Клиенты", "Customers"],
    TabSales => ["Savdolar", "Продажи", "Sales"],
    TabExpenses => ["Xarajatlar", "Расходы", "Expenses"],
    TabReports => ["Hisobotlar", "Отчёты", "Reports"],
    TabStaff => ["Xodimlar", "Сотрудники", "Staff"],
    TabAudit => ["Audit jurnali", "Журнал аудита", "Audit log"],
    TabSettings => ["Sozlamalar", "Настройки", "Settings"],
    ShiftOpenSince => ["Smena ochiq: {}", "Смена открыта: {}", "Shift open since {}"],
    NoShift => ["Smena yopiq", "Смена закрыта", "No open shift"],
    OpenShiftTitle => ["Smenani ochish", "Открытие смены", "Open a shift"],
    StartingCash => ["Kassadagi boshlangʻich naqd pul", "Наличные в кассе на начало", "Starting cash in the drawer"],
    OpenShift => ["Smenani ochish (Enter)", "Открыть смену (Enter)", "Open shift (Enter)"],
    Search => ["Qidirish (F2)", "Поиск (F2)", "Search (F2)"],
    SearchHint => ["Shtrix-kod yoki nom…", "Штрихкод или название…", "Barcode or name…"],
    NothingFound => ["Hech narsa topilmadi", "Ничего не найдено", "Nothing found"],
    ColName => ["Nomi", "Название", "Name"],
    ColPrice => ["Narxi", "Цена", "Price"],
    ColStock => ["Qoldiq", "Остаток", "Stock"],
    ColQty => ["Miqdori", "Кол-во", "Qty"],
    ColDiscount => ["Chegirma", "Скидка", "Discount"],
    ColSum => ["Summa", "Сумма", "Amount"],
    Cart => ["Savat", "Корзина", "Cart"],
    CartEmpty => ["Savat boʻsh. Tovarni skanerlang yoki qidiring.", "Корзина пуста. Отсканируйте или найдите товар.", "The cart is empty. Scan or search for a product."],
    Subtotal => ["Oraliq jami", "Подытог", "Subtotal"],
    SaleDiscountLabel => ["Savdo chegirmasi", "Скидка на чек", "Sale discount"],
    Total => ["JAMI", "ИТОГО", "TOTAL"],
    Pay => ["Toʻlov (F12)", "Оплата (F12)", "Pay (F12)"],
    Park => ["Kechiktirish (F5)", "Отложить (F5)", "Park (F5)"],
    Resume => ["Davom ettirish (F6)", "Вернуть (F6)", "Resume (F6)"],
    QuantityKey => ["Miqdor (F3)", "Количество (F3)", "Quantity (F3)"],
    DiscountKey => ["Chegirma (F4)", "Скидка (F4)", "Discount (F4)"],
    RemoveKey => ["Oʻchirish (Del)", "Удалить (Del)", "Remove (Del)"],
    Reprint => ["Oxirgi chek (F7)", "Последний чек (F7)", "Last receipt (F7)"],
    XReportKey => ["X-hisobot (F8)", "X-отчёт (F8)", "X report (F8)"],
    CloseShiftKey => ["Smenani yopish (F9)", "Закрыть смену (F9)", "Close shift (F9)"],
    BadCheckDigit => ["Shtrix-kod {} notoʻgʻri oʻqildi (nazorat raqami mos emas): qayta skanerlang", "Штрихкод {} прочитан с ошибкой (не сходится контрольная цифра): отсканируйте ещё раз", "Barcode {} was misread (its check digit is wrong): scan it again"],
    PricesUpdated => ["Narx oʻzgardi, savatda yangilandi: {}", "Цена изменилась, в корзине обновлено: {}", "Prices changed; updated in the cart: {}"],
    UnknownBarcode => ["Nomaʼlum shtrix-kod: {}", "Неизвестный штрихкод: {}", "Unknown barcode: {}"],
    Added => ["Qoʻshildi: {}", "Добавлено: {}", "Added: {}"],
    QuantityTitle => ["Miqdorni kiriting", "Введите количество", "Enter the quantity"],
    QuantityLabel => ["Miqdor (dona yoki kg)", "Количество (шт. или кг)", "Quantity (pieces or kg)"],
    DiscountTitle => ["Chegirma", "Скидка", "Discount"],
    DiscountLabel => ["Chegirma: summa yoki foiz (masalan 5000 yoki 10%)", "Скидка: сумма или процент (например 5000 или 10%)", "Discount: an amount or a percentage (e.g. 5000 or 10%)"],
    DiscountLine => ["Tanlangan qatorga", "На выбранную строку", "On the selected line"],
    DiscountSale => ["Butun chekka", "На весь чек", "On the whole sale"],
    Ok => ["OK (Enter)", "OK (Enter)", "OK (Enter)"],
    Cancel => ["Bekor qilish (Esc)", "Отмена (Esc)", "Cancel (Esc)"],
    PaymentTitle => ["Toʻlov", "Оплата", "Payment"],
    Cash => ["Naqd", "Наличные", "Cash"],
    Card => ["Karta", "Карта", "Card"],
    Nasiya => ["Nasiya", "Насия (в долг)", "Nasiya (credit)"],
    AllCash => ["Hammasi naqd (F1)", "Всё наличными (F1)", "All cash (F1)"],
    AllCard => ["Hammasi karta (F2)", "Всё картой (F2)", "All card (F2)"],
    AllNasiya => ["Hammasi nasiya (F3)", "Всё в долг (F3)", "All nasiya (F3)"],
    CashReceived => ["Olingan naqd pul", "Получено наличными", "Cash received"],
    NasiyaAmount => ["Nasiyaga", "В долг", "On credit"],
    Change => ["Qaytim", "Сдача", "Change"],
    ToPay => ["Toʻlanishi kerak", "К оплате", "To pay"],
    Remaining => ["Yetmayapti", "Не хватает", "Still to pay"],
    Customer => ["Mijoz", "Клиент", "Customer"],
    FindCustomer => ["Mijozni qidirish", "Поиск клиента", "Find a customer"],
    NoCustomer => ["Mijoz tanlanmagan", "Клиент не выбран", "No customer chosen"],
    CurrentDebt => ["Joriy qarz: {}", "Текущий долг: {}", "Current debt: {}"],
    DueDate => ["Qaytarish sanasi (YYYY-MM-DD)", "Срок возврата (ГГГГ-ММ-ДД)", "Due date (YYYY-MM-DD)"],
    BadDate => ["Sana notoʻgʻri", "Неверная дата", "The date is not valid"],
    NewCustomer => ["Yangi mijoz", "Новый клиент", "New customer"],
    CustomerName => ["Ism-familiya", "ФИО", "Full name"],
    Phone => ["Telefon", "Телефон", "Phone"],
    Create => ["Yaratish", "Создать", "Create"],
    Finish => ["Yakunlash (Enter)", "Завершить (Enter)", "Finish (Enter)"],
    SaleDone => ["Savdo №{} yakunlandi. Qaytim: {}", "Продажа №{} завершена. Сдача: {}", "Sale #{} done. Change: {}"],
    CloseShiftTitle => ["Smenani yopish", "Закрытие смены", "Close the shift"],
    CountedCash => ["Sanalgan naqd pul", "Пересчитанные наличные", "Counted cash"],
    Expected => ["Kutilgan", "Ожидается", "Expected"],
    Counted => ["Sanalgan", "Пересчитано", "Counted"],
    Difference => ["Farq", "Разница", "Difference"],
    ErrStockChanged => ["{} qoldigʻi shu orada oʻzgardi: endi {}. Farqni tekshirib, qayta saqlang", "Остаток {} тем временем изменился: теперь {}. Проверьте разницу и сохраните снова", "The stock of {} changed meanwhile: it is now {}. Check the difference and save again"],
    CountedQuantity => ["Sanalgan miqdor", "Фактическое количество", "Counted quantity"],
    SetCounted => ["Sanalganini kiritish", "Ввести пересчитанное", "Set the counted quantity"],
    ChangeBy => ["± oʻzgartirish", "Изменить на ±", "Change by ±"],
    CountDifference => ["Farq: {} (hisobda {}, sanalgan {})", "Разница: {} (по учёту {}, посчитано {})", "Difference: {} (recorded {}, counted {})"],
    OrderOverdue => ["Muddati oʻtganlar oldin", "Сначала просроченные", "Overdue first"],
    OrderName => ["Ism boʻyicha", "По имени", "By name"],
    OrderDebt => ["Qarzi kattalar oldin", "Сначала большие долги", "Largest debt first"],
    PrintedBy => ["Chop etdi: {}", "Напечатал: {}", "Printed by {}"],
    CatalogIo => ["Mahsulotlar roʻyxati: import va eksport", "Список товаров: импорт и экспорт", "Product list: import and export"],
    ExportCatalogXlsx => ["Hamma mahsulotlarni Excelga (xlsx)", "Все товары в Excel (xlsx)", "All products to Excel (xlsx)"],
    ExportCatalogCsv => ["Hamma mahsulotlarni CSVga", "Все товары в CSV", "All products to CSV"],
    ImportFile => ["Import fayli (xlsx, xls, ods, csv)", "Файл для импорта (xlsx, xls, ods, csv)", "File to import (xlsx, xls, ods, csv)"],
    ImportRead => ["Faylni oʻqish", "Прочитать файл", "Read the file"],
    ImportUnknownType => ["Fayl turi notanish: xlsx, xls, ods yoki csv boʻlishi kerak.", "Неизвестный тип файла: нужен xlsx, xls, ods или csv.", "Unknown file type: xlsx, xls, ods or csv."],
    ImportEmpty => ["Faylda qator yoʻq.", "В файле нет строк.", "The file has no rows."],
    ImportUnreadable => ["Faylni oʻqib boʻlmadi: {}", "Не удалось прочитать файл: {}", "The file cannot be read: {}"],
    ImportColumns => ["Fayl ustunlari (oʻzgartirish mumkin):", "Столбцы файла (можно изменить):", "The file's columns (can be changed):"],
    ImportNotUsed => ["ishlatilmaydi", "не используется", "not used"],
    ImportSummary => ["{} qator: {} yaroqli, {} rad etildi. Yangi: {}, yangilanadi: {}.", "Строк: {}; годных {}, отклонено {}. Новых: {}, будет обновлено: {}.", "{} rows: {} good, {} refused. New: {}, to update: {}."],
    ImportGood => ["Yaroqli qatorlarni import qilish", "Импортировать годные строки", "Import the good rows"],
    ImportAll => ["Hammasini import qilish", "Импортировать всё", "Import all"],
    ImportRefusedNow => ["{} ta qator rad etildi: hech narsa oʻzgarmadi.", "Отклонено строк: {}; ничего не изменено.", "{} rows refused: nothing changed."],
    AllowNegativeStock => ["Qoldiqdan koʻp sotishga ruxsat (ha/yoʻq)", "Разрешить продажу сверх остатка (да/нет)", "Allow selling beyond stock (yes/no)"],
    SoldBeyondStock => ["Qoldiqdan koʻp sotildi, qoldiq manfiy: {}. Ombor boʻlimida sanab chiqing.", "Продано сверх остатка, остаток отрицательный: {}. Пересчитайте на складе.", "Sold beyond the stock, now negative: {}. Count them in the Stock tab."],
    NegativeStock => ["Manfiy qoldiq (sanab chiqish kerak)", "Отрицательный остаток (нужен пересчёт)", "Negative stock (to count)"],
    StocktakeBarcode => ["Shtrix-kod", "Штрихкод", "Barcode"],
    Stocktake => ["Inventarizatsiya (sanash)", "Инвентаризация (пересчёт)", "Stocktake (count)"],
    StocktakeStart => ["Butun doʻkonni sanashni boshlash", "Начать пересчёт всего магазина", "Start counting the whole shop"],
    StocktakeQuantity => ["Miqdor (boʻsh: 1)", "Количество (пусто: 1)", "Quantity (empty: 1)"],
    StocktakeCount => ["Sanash (Enter)", "Учесть (Enter)", "Count (Enter)"],
    StocktakeCounted => ["Sanaldi", "Посчитано", "Counted"],
    StocktakeValue => ["Farq (tannarxda)", "Разница (по себестоимости)", "Difference at cost"],
    StocktakeTotal => ["Sanalgan mahsulotlar: {}; farq tannarxda: {}", "Посчитано товаров: {}; разница по себестоимости: {}", "Products counted: {}; difference at cost: {}"],
    StocktakeStartChosen => ["Tanlangan toifalarni sanashni boshlash", "Начать пересчёт выбранных категорий", "Start counting the chosen categories"],
    StocktakeOf => ["Sanalayotgan toifalar: {}", "Пересчитываются категории: {}", "Counting the categories: {}"],
    StocktakeFix => ["Sanoqni toʻgʻrilash:", "Исправить пересчёт:", "Correct a count:"],
    StocktakeFixTo => ["Aslida sanaldi", "На самом деле", "Actually counted"],
    StocktakeFixSet => ["Toʻgʻrilash", "Исправить", "Correct"],
    StocktakeApply => ["Natijani qoʻllash", "Применить итоги", "Apply the count"],
    StocktakeApplied => ["Inventarizatsiya qoʻllandi: {} mahsulot.", "Инвентаризация применена: товаров {}.", "Stocktake applied: {} products."],
    LastCost => ["oxirgi: {}", "последняя: {}", "last: {}"],
    PriceHistory => ["Narxlar tarixi", "История цен", "Price history"],
    SupplyNo => ["kirim №{}", "поставка №{}", "supply #{}"],
    CatName => ["Nomi", "Наименование", "Name"],
    CatBarcodes => ["Shtrix-kodlar", "Штрихкоды", "Barcodes"],
    CatCategory => ["Toifa", "Категория", "Category"],
    CatUnit => ["Birlik", "Ед. изм.", "Unit"],
    CatPurchasePrice => ["Kelish narxi", "Цена закупки", "Purchase price"],
    CatSalePrice => ["Sotuv narxi", "Цена продажи", "Sale price"],
    CatStock => ["Qoldiq", "Остаток", "Stock"],
    CatLowStock => ["Kam qoldiq chegarasi", "Минимальный остаток", "Low-stock threshold"],
    CatClassCode => ["MXIK kodi", "Код ИКПУ", "Class code"],
    CatPackageCode => ["Qadoq kodi", "Код упаковки", "Package code"],
    CatVat => ["QQS", "НДС", "VAT"],
    CatMarked => ["Markirovka", "Маркировка", "Marked"],
    CatByWeight => ["Vaznli (ha/yoʻq)", "Весовой (да/нет)", "Sold by weight (yes/no)"],
    RowBadFiscal => ["«{}» ustunidagi qiymat notoʻgʻri: {}", "Неверное значение в столбце «{}»: {}", "Wrong value in the \"{}\" column: {}"],
    RowNoName => ["nomi yoʻq", "нет наименования", "no name"],
    RowNoSalePrice => ["sotuv narxi yoʻq", "нет цены продажи", "no sale price"],
    RowDuplicate => ["shtrix-kod {} {}-qatorda ham bor", "штрихкод {} уже есть в строке {}", "barcode {} is also on line {}"],
    RowElsewhere => ["shtrix-kod {} boshqa mahsulotniki: {}", "штрихкод {} принадлежит другому товару: {}", "barcode {} belongs to another product: {}"],
    RowSameProduct => ["shu mahsulot ({}) {}-qatorda ham bor", "тот же товар ({}) уже в строке {}", "the same product ({}) is on line {} too"],
    RowBadMoney => ["{}: «{}» summa emas", "{}: «{}» — не сумма", "{}: “{}” is not an amount"],
    RowBadQty => ["{}: «{}» miqdor emas", "{}: «{}» — не количество", "{}: “{}” is not a quantity"],
    RowUnitWithStock => ["{} qoldigʻi bor: fayl uning oʻlchov birligini oʻzgartiradi (kg soni dona boʻlib qolardi). Avval qoldiqni 0 ga keltiring yoki ustunni tuzating.", "У товара {} есть остаток: файл меняет его единицу измерения (килограммы стали бы штуками). Сначала обнулите остаток или исправьте столбец.", "{} has stock: the file changes its unit (its kilograms would become pieces). Bring the stock to 0 first or correct the column."],
    RowFractionForPieces => ["{}: «{}» kasr son, mahsulot esa dona bilan sotiladi.", "{}: «{}» — дробное число, а товар продаётся поштучно.", "{}: \"{}\" has a fraction, but the product is sold by the piece."],
    RowUnknownUnit => ["nomaʼlum birlik «{}» (dona yoki kg)", "неизвестная единица «{}» (шт или кг)", "unknown unit “{}” (pcs or kg)"],
    ImportLine => ["{}-qator: {}", "Строка {}: {}", "Line {}: {}"],
    ImportDone => ["Import: {} yangi, {} yangilandi, {} oʻzgarishsiz, {} yangi kategoriya, {} mahsulot qoldigʻi kiritildi.", "Импорт: новых {}, обновлено {}, без изменений {}, новых категорий {}, остаток внесён у товаров: {}.", "Import: {} new, {} updated, {} unchanged, {} new categories, stock entered for {} products."],
    ImportNothing => ["{} ta qator rad etildi: hech narsa import qilinmadi (yaxshi qatorlar uchun --skip-bad).", "Отклонено строк: {}; ничего не импортировано (--skip-bad импортирует хорошие строки).", "{} rows refused: nothing imported (--skip-bad imports the good rows)."],
    ImportInternalCodes => ["Diqqat: bu kodlar EAN nazorat raqamiga mos kelmaydi va doʻkonning ichki kodlari sifatida saqlanadi (yorliqda Code 128): {}", "Внимание: эти коды не проходят проверку контрольной цифры EAN и сохраняются как внутренние коды магазина (на этикетке Code 128): {}", "Note: these codes fail the EAN check digit and are kept as the shop's own codes (Code 128 on labels): {}"],
    ImportDry => ["Tekshiruv: {} yangi, {} yangilanadi, {} oʻzgarmaydi, {} rad etiladi; hech narsa oʻzgartirilmadi.", "Проверка: новых {}, будет обновлено {}, без изменений {}, отклонено {}; ничего не изменено.", "Dry run: {} new, {} to update, {} unchanged, {} refused; nothing changed."],
    CatalogSaved => ["Saqlandi: {} ({} mahsulot).", "Сохранено: {} (товаров: {}).", "Saved {} ({} products)."],
    PdfPage => ["{}-sahifa / {}", "Стр. {} из {}", "Page {} of {}"],
    BlindCountHint => ["Kassadagi naqd pulni sanang va summasini kiriting: kutilgan summa shundan keyin koʻrsatiladi", "Пересчитайте наличные в кассе и введите сумму: ожидаемая сумма будет показана после этого", "Count the cash in the drawer and enter the sum: the expected sum is shown after that"],
    ShowDifference => ["Farqni koʻrish (Enter)", "Показать расхождение (Enter)", "Show the difference (Enter)"],
    ParkedAtClose => ["Diqqat: {} ta kechiktirilgan savat qolgan (ular saqlanib qoladi):", "Внимание: осталось отложенных чеков: {} (они сохранятся):", "Note: {} parked carts are still waiting (they are kept):"],
    ConfirmClose => ["Tasdiqlash va yopish (Enter)", "Подтвердить и закрыть (Enter)", "Confirm and close (Enter)"],
    XReport => ["X-hisobot (smena davomida)", "X-отчёт (смена идёт)", "X report (shift so far)"],
    AuditAnchor => ["Audit", "Аудит", "Audit"],
    ZReport => ["Z-hisobot (smena yopildi)", "Z-отчёт (смена закрыта)", "Z report (shift closed)"],
    Opening => ["Boshlangʻich naqd", "Наличные на начало", "Opening cash"],
    SalesCount => ["Savdolar soni", "Число продаж", "Number of sales"],
    Revenue => ["Tushum", "Выручка", "Revenue"],
    CashSales => ["Naqd savdo", "Продажи наличными", "Cash sales"],
    CardSales => ["Karta savdo", "Продажи картой", "Card sales"],
    NasiyaSales => ["Nasiya savdo", "Продажи в долг", "Credit sales"],
    CashRefunds => ["Naqd qaytarishlar", "Возвраты наличными", "Cash refunds"],
    RefundsAll => ["Barcha qaytarishlar", "Все возвраты", "All refunds"],
    DebtPayments => ["Naqd qarz toʻlovlari", "Оплаты долгов наличными", "Cash debt payments"],
    Close => ["Yopish (Esc)", "Закрыть (Esc)", "Close (Esc)"],
    ParkedTitle => ["Kechiktirilgan savdolar", "Отложенные продажи", "Parked sales"],
    NoParked => ["Kechiktirilgan savdo yoʻq", "Нет отложенных продаж", "No parked sales"],
    Parked => ["Savdo kechiktirildi", "Продажа отложена", "Sale parked"],
    ReceiptTitle => ["Chek", "Чек", "Receipt"],
    NoReceipt => ["Hali chek yoʻq", "Чеков ещё нет", "No receipt yet"],
    NotAllowed => ["Sizning rolingiz bunga ruxsat bermaydi", "Ваша роль не позволяет это", "Your role does not allow this"],
    ShiftClosed => ["Smena yopildi", "Смена закрыта", "Shift closed"],
    Refunded => ["QAYTARILGAN", "ВОЗВРАТ", "REFUNDED"],
    ReceiptNo => ["Chek №{}", "Чек №{}", "Receipt #{}"],
    CashierName => ["Kassir: {}", "Кассир: {}", "Cashier: {}"],
    ShiftNo => ["Smena: {}", "Смена: {}", "Shift: {}"],
    Thanks => ["Xaridingiz uchun rahmat!", "Спасибо за покупку!", "Thank you for your purchase!"],
    DebtNow => ["Qarz qoldigʻi: {}", "Остаток долга: {}", "Debt now: {}"],
    DueBy => ["Qaytarish muddati: {}", "Вернуть до: {}", "Due by: {}"],
    DebtPaymentSlip => ["Qarz toʻlovi", "Оплата долга", "Debt payment"],
    Print => ["Chop etish", "Печать", "Print"],
    PrintAgain => ["Qayta chop etish", "Печать копии", "Print again"],
    PrintQueued => ["Chop etishga yuborildi", "Отправлено на печать", "Sent to the printer"],
    NoPrinter => ["Printer sozlanmagan (Sozlamalar)", "Принтер не настроен (Настройки)", "No printer set up (Settings)"],
    PrinterReady => ["Printer: tayyor", "Принтер: готов", "Printer: ready"],
    PrinterOff => ["Printer: aloqa yoʻq", "Принтер: нет связи", "Printer: not answering"],
    PrinterNoPaper => ["Printer: qogʻoz tugadi", "Принтер: нет бумаги", "Printer: out of paper"],
    PrinterWaiting => ["{} ta chek navbatda", "В очереди чеков: {}", "{} waiting to print"],
    ScannerOn => ["Skaner: ulangan", "Сканер: подключён", "Scanner: connected"],
    ScannerOff => ["Skaner: ulanmagan", "Сканер: не подключён", "Scanner: not connected"],
    CopyMark => ["*** NUSXA ***", "*** КОПИЯ ***", "*** COPY ***"],
    Preview => ["Chek koʻrinishi", "Вид чека", "Receipt preview"],
    Action => ["Amal", "Действие", "Action"],
    Add => ["Qoʻshish", "Добавить", "Add"],
    AddCategory => ["Toifa qoʻshish", "Добавить категорию", "Add category"],
    AddExpense => ["Xarajat qoʻshish", "Добавить расход", "Add an expense"],
    AddToSupply => ["Kirimga: {}", "В приход: {}", "To supply: {}"],
    AddToReturn => ["Qaytarishga: {}", "В возврат: {}", "To return: {}"],
    AddToOrder => ["Buyurtmaga: {}", "В заказ: {}", "To order: {}"],
    Address => ["Manzil", "Адрес", "Address"],
    Adjust => ["Tuzatish", "Скорректировать", "Adjust"],
    AdjustBy => ["Oʻzgarish (+/−)", "Изменение (+/−)", "Change by (+/−)"],
    AdminChats => ["Admin chat ID lari", "ID чатов админа", "Admin chat ids"],
    After => ["Keyin", "После", "After"],
    All => ["Hammasi", "Все", "All"],
    AllCategories => ["Barcha toifalar", "Все категории", "All categories"],
    Archived => ["Mahsulotning tarixi bor: arxivlandi", "У товара есть история: перенесён в архив", "The product has history: archived"],
    AuditChange => ["Oʻzgarish", "Изменение", "Change"],
    BackupDir => ["Zaxira papkasi", "Папка резервных копий", "Backup folder"],
    BadPeriod => ["Davr oxiri boshidan oldin", "Конец периода раньше начала", "The end is before the start"],
    Balance => ["Balans", "Баланс", "Balance"],
    Barcodes => ["Shtrix-kodlar", "Штрихкоды", "Barcodes"],
    Before => ["Oldin", "До", "Before"],
    BotToken => ["Telegram bot tokeni", "Токен Telegram-бота", "Telegram bot token"],
    CancelButton => ["Bekor qilish", "Отмена", "Cancel"],
    Cashier => ["Kassir", "Кассир", "Cashier"],
    Categories => ["Toifalar", "Категории", "Categories"],
    Category => ["Toifa", "Категория", "Category"],
    ChooseCategory => ["Toifani tanlang", "Выберите категорию", "Choose a category"],
    ChooseProduct => ["Harakatlarni koʻrish uchun mahsulotni tanlang", "Выберите товар, чтобы увидеть движения", "Choose a product to see its movements"],
    CodePage => ["Kod sahifasi (PC866, WPC1251, UTF-8)", "Кодовая страница (PC866, WPC1251, UTF-8)", "Code page (PC866, WPC1251, UTF-8)"],
    ConfirmDelete => ["Ha, oʻchirilsin", "Да, удалить", "Yes, delete"],
    ConfirmRefund => ["Ha, qaytarilsin", "Да, оформить возврат", "Yes, refund"],
    Date => ["Sana", "Дата", "Date"],
    Delete => ["Oʻchirish", "Удалить", "Delete"],
    DeleteNamed => ["Oʻchirish: {}", "Удалить: {}", "Delete {}"],
    Deleted => ["Oʻchirildi", "Удалено", "Deleted"],
    DueDateShort => ["Muddat", "Срок", "Due"],
    Edit => ["Tahrirlash", "Изменить", "Edit"],
    EditEmployee => ["Xodimni tahrirlash", "Изменить сотрудника", "Edit employee"],
    EditProduct => ["Mahsulotni tahrirlash", "Изменить товар", "Edit product"],
    Employee => ["Xodim", "Сотрудник", "Employee"],
    FirstPassword => ["Birinchi parol (kirishda almashtiriladi)", "Первый пароль (сменить при входе)", "First password (changed at first log-in)"],
    From => ["Dan (YYYY-MM-DD)", "С (ГГГГ-ММ-ДД)", "From (YYYY-MM-DD)"],
    Kind => ["Turi", "Тип", "Kind"],
    KindAdjustment => ["Tuzatish", "Корректировка", "Adjustment"],
    KindCredit => ["Nasiya savdo", "Продажа в долг", "Credit sale"],
    KindPayment => ["Toʻlov", "Оплата", "Payment"],
    KindRefund => ["Qaytarish", "Возврат", "Refund"],
    KindSale => ["Savdo", "Продажа", "Sale"],
    KindSupply => ["Kirim", "Приход", "Supply"],
    KindSupplierReturn => ["Yetkazib beruvchiga qaytarildi", "Возврат поставщику", "Returned to supplier"],
    Ledger => ["Hisob tarixi", "История счёта", "Ledger"],
    LowStockDefault => ["Kam qoldiq chegarasi (standart)", "Порог малого остатка (по умолчанию)", "Low-stock threshold (default)"],
    LowStockOnly => ["Faqat kam qolganlar", "Только с малым остатком", "Low stock only"],
    LowStockThreshold => ["Kam qoldiq chegarasi", "Порог малого остатка", "Low-stock threshold"],
    Method => ["Toʻlov usuli", "Способ оплаты", "Payment method"],
    Movements => ["Ombor harakatlari", "Движения по складу", "Stock movements"],
    NewCategory => ["Yangi toifa", "Новая категория", "New category"],
    NewEmployee => ["Yangi xodim", "Новый сотрудник", "New employee"],
    NewProduct => ["Yangi mahsulot", "Новый товар", "New product"],
    NextPage => ["Keyingi ›", "Далее ›", "Next ›"],
    NotSet => ["oʻrnatilmagan", "не задан", "not set"],
    Notes => ["Izoh", "Примечание", "Notes"],
    Object => ["Obyekt", "Объект", "Object"],
    PageOf => ["{}-sahifa / {} (jami {})", "Стр. {} из {} (всего {})", "Page {} of {} ({} in all)"],
    PaperWidth => ["Qogʻoz kengligi (58 yoki 80)", "Ширина бумаги (58 или 80)", "Paper width (58 or 80)"],
    InstalledPrinters => ["Oʻrnatilgan printerlar", "Установленные принтеры", "Installed printers"],
    UseForReceipts => ["Cheklar uchun", "Для чеков", "For receipts"],
    UseForLabels => ["Yorliqlar uchun", "Для этикеток", "For labels"],
    FiscalProvider => ["Fiskal modul (none yoki regos-vcr)", "Фискальный модуль (none или regos-vcr)", "Fiscal provider (none or regos-vcr)"],
    FiscalUrl => ["Fiskal modul manzili", "Адрес фискального модуля", "Fiscal provider address"],
    FiscalLogin => ["Fiskal modul logini", "Логин фискального модуля", "Fiscal provider login"],
    FiscalPassword => ["Fiskal modul paroli", "Пароль фискального модуля", "Fiscal provider password"],
    FiscalPosId => ["Kassa raqami (POS ID)", "Номер кассы (POS ID)", "Till number (POS ID)"],
    Passport => ["Pasport", "Паспорт", "Passport"],
    PasswordReset => ["Parol yangilandi; xodim kirishda uni almashtiradi", "Пароль сброшен; сотрудник сменит его при входе", "Password reset; they will change it at log-in"],
    PaymentAmount => ["Toʻlov summasi", "Сумма оплаты", "Payment amount"],
    PaymentTaken => ["Toʻlov qabul qilindi. Balans: {}", "Оплата принята. Баланс: {}", "Payment taken. Balance: {}"],
    PrevPage => ["‹ Oldingi", "‹ Назад", "‹ Previous"],
    PriceDown => ["Narx ↓", "Цена ↓", "Price ↓"],
    PriceUp => ["Narx ↑", "Цена ↑", "Price ↑"],
    PrinterPort => ["Printer (192.168.1.50:9100, /dev/ttyUSB0, /dev/usb/lp0)", "Принтер (192.168.1.50:9100, /dev/ttyUSB0, /dev/usb/lp0)", "Printer (192.168.1.50:9100, /dev/ttyUSB0, /dev/usb/lp0)"],
    PurchasePrice => ["Kelish narxi", "Закупочная цена", "Purchase price"],
    ReadOnly => ["Faqat koʻrish", "Только просмотр", "Read only"],
    Reason => ["Sabab", "Причина", "Reason"],
    ReceiveSupply => ["Tovar kirimi", "Приход товара", "Receive goods"],
    RefundDone => ["Savdo №{}: {} qaytarildi", "Продажа №{}: возвращено {}", "Sale #{}: {} refunded"],
    RefundLines => ["Qaytariladigan miqdor (boʻsh — qaytarilmaydi)", "Сколько вернуть (пусто — не возвращать)", "Quantity to refund (empty: none)"],
    RefundChosen => ["Tanlanganini qaytarish…", "Вернуть выбранное…", "Refund the quantities…"],
    RefundAll => ["Hammasini qaytarish…", "Вернуть всё…", "Refund everything left…"],
    RefundReason => ["Qaytarish sababi", "Причина возврата", "Reason for the refund"],
    RefundWarning => [
        "Tovarlar omborga qaytadi, pul toʻlov usuli boʻyicha qaytariladi. Ishonchingiz komilmi?",
        "Товар вернётся на склад, деньги — тем же способом оплаты. Вы уверены?",
        "The goods go back to stock and the money back by the original method. Are you sure?"
    ],
    Cogs => ["Sotilgan tovar tannarxi", "Себестоимость проданного", "Cost of goods sold"],
    GrossProfit => ["Yalpi foyda", "Валовая прибыль", "Gross profit"],
    NetProfit => ["Sof foyda", "Чистая прибыль", "Net profit"],
    TopProducts => ["Eng koʻp sotilganlar", "Топ товаров", "Top products"],
    Rename => ["Nomini oʻzgartirish", "Переименовать", "Rename"],
    ResetPassword => ["Parolni tiklash", "Сбросить пароль", "Reset password"],
    Role => ["Rol", "Роль", "Role"],
    SaleNo => ["№", "№", "#"],
    SaveButton => ["Saqlash", "Сохранить", "Save"],
    SaveSupply => ["Kirimni saqlash", "Провести приход", "Save the supply"],
    Saved => ["Saqlandi: {}", "Сохранено: {}", "Saved: {}"],
    ScannerIds => ["Skaner (VID:PID)", "Сканер (VID:PID)", "Scanner (VID:PID)"],
    SearchProducts => ["Mahsulot qidirish", "Поиск товара", "Find products"],
    SettingsNotSaved => ["Hech narsa saqlanmadi: qizil bilan belgilangan maydonlarni tuzating", "Ничего не сохранено: исправьте поля, отмеченные красным", "Nothing was saved: correct the fields marked in red"],
    IdleMinutes => ["Kassa necha daqiqa harakatsizlikdan keyin qulflanadi", "Через сколько минут бездействия касса блокируется", "Minutes without input before the till locks"],
    SettingsSaved => ["Sozlamalar saqlandi ({} ta)", "Настройки сохранены ({})", "Settings saved ({})"],
    ShopLanguage => ["Chek tili (uz, ru, en)", "Язык чека (uz, ru, en)", "Receipt language (uz, ru, en)"],
    ShopName => ["Doʻkon nomi", "Название магазина", "Shop name"],
    ShowMovements => ["Harakatlar: {}", "Движения: {}", "Movements: {}"],
    SortBy => ["Saralash", "Сортировка", "Sort by"],
    StockNow => ["Qoldiq endi {}", "Остаток теперь {}", "Stock is now {}"],
    StockUp => ["Qoldiq ↑", "Остаток ↑", "Stock ↑"],
    Supplier => ["Yetkazib beruvchi", "Поставщик", "Supplier"],
    SupplyHistory => ["Kirimlar tarixi", "История приходов", "Supply history"],
    SupplySaved => ["Kirim №{} saqlandi", "Приход №{} проведён", "Supply #{} saved"],
    TakePayment => ["Toʻlovni qabul qilish", "Принять оплату", "Take the payment"],
    Telegram => ["Telegram", "Telegram", "Telegram"],
    TimeZone => ["Vaqt mintaqasi", "Часовой пояс", "Time zone"],
    To => ["Gacha (YYYY-MM-DD)", "По (ГГГГ-ММ-ДД)", "To (YYYY-MM-DD)"],
    TotalExpenses => ["Jami xarajatlar", "Всего расходов", "Total expenses"],
    Unit => ["Oʻlchov", "Единица", "Unit"],
    UnitCost => ["Narxi", "Цена", "Cost"],
    UnitPiece => ["dona", "шт.", "piece"],
    UnitPcs => ["dona", "шт.", "pcs"],
    UnitKg => ["kg", "кг", "kg"],
    RefundSlip => ["QAYTARISH", "ВОЗВРАТ", "REFUND"],
    RefundTotal => ["Qaytarildi", "Возвращено", "Refunded"],
    UnitWeight => ["kg (tortiladi)", "кг (весовой)", "kg (weighed)"],
    When => ["Vaqti", "Время", "When"],
    Yes => ["ha", "да", "yes"],
    No => ["yoʻq", "нет", "no"],
    Locked => ["Kassa qulflangan", "Касса заблокирована", "The till is locked"],
    LockedFor => ["Uzoq vaqt harakat boʻlmadi. {} parolini kiriting; savat saqlangan.", "Долго не было действий. Введите пароль ({}); корзина сохранена.", "No activity for a while. Enter the password of {}; the cart is kept."],
    Unlock => ["Ochish (Enter)", "Разблокировать (Enter)", "Unlock (Enter)"],
    BotWelcome => [
        "Assalomu alaykum! Bu «{}» doʻkonining boti. Balans va qarzingizni koʻrish uchun pastdagi tugma bilan telefon raqamingizni yuboring.",
        "Здравствуйте! Это бот магазина «{}». Чтобы видеть баланс и долг, отправьте свой номер телефона кнопкой ниже.",
        "Hello! This is the bot of {}. To see your balance and debt, share your phone number with the button below."
    ],
    BotWelcomeBack => ["Xush kelibsiz, {}! Balans: /balance", "С возвращением, {}! Баланс: /balance", "Welcome back, {}! Balance: /balance"],
    BotShareContact => ["📱 Raqamni yuborish", "📱 Отправить номер", "📱 Share my number"],
    BotBalanceButton => ["💰 Balans", "💰 Баланс", "💰 Balance"],
    BotLinked => ["Rahmat, {}! Raqamingiz bogʻlandi. Balans: /balance", "Спасибо, {}! Номер привязан. Баланс: /balance", "Thank you, {}! Your number is linked. Balance: /balance"],
    BotRegistered => ["{}, siz doʻkonning yangi mijozi sifatida roʻyxatdan oʻtdingiz. Balans: /balance", "{}, вы зарегистрированы как новый клиент магазина. Баланс: /balance", "{}, you are registered as a new customer of the shop. Balance: /balance"],
    BotNotOwnContact => ["Faqat oʻzingizning raqamingizni yuboring (pastdagi tugma bilan). Boshqa odamning kontakti qabul qilinmaydi.", "Отправьте свой собственный номер (кнопкой ниже). Чужой контакт не принимается.", "Please share your own number (with the button below). Someone else's contact is not accepted."],
    BotBadPhone => ["Bu telefon raqamiga oʻxshamaydi.", "Это не похоже на номер телефона.", "That does not look like a phone number."],
    BotUnknownPhone => ["{} raqami doʻkon mijozlari roʻyxatida yoʻq. Doʻkonga murojaat qiling.", "Номера {} нет среди клиентов магазина. Обратитесь в магазин.", "The number {} is not among the shop's customers. Please ask at the shop."],
    BotNotLinked => ["Avval telefon raqamingizni yuboring: /start", "Сначала отправьте свой номер телефона: /start", "Please share your phone number first: /start"],
    BotHelp => ["Buyruqlar:\n/balance — balans va qarz\n/uz, /ru, /en — til\n/start — raqamni bogʻlash", "Команды:\n/balance — баланс и долг\n/uz, /ru, /en — язык\n/start — привязать номер", "Commands:\n/balance — balance and debt\n/uz, /ru, /en — language\n/start — link your number"],
    BotLanguageSet => ["Til: oʻzbekcha", "Язык: русский", "Language: English"],
    BotTryLater => ["Hozir javob bera olmayman, birozdan keyin urinib koʻring.", "Сейчас не могу ответить, попробуйте чуть позже.", "I cannot answer right now, please try again a little later."],
    BotChatId => ["Bu chat raqami: {}", "Номер этого чата: {}", "This chat's id: {}"],
    BotDebt => ["Qarzingiz: {}", "Ваш долг: {}", "You owe: {}"],
    BotPrepaid => ["Oldindan toʻlangan: {}", "Предоплата: {}", "Prepaid: {}"],
    BotNoDebt => ["Qarzingiz yoʻq.", "Долга нет.", "You owe nothing."],
    Som => ["soʻm", "сум", "so'm"],
    WeighTitle => ["Tortilgan tovar", "Весовой товар", "Weighed item"],
    FiscalReceipt => ["FISKAL CHEK", "ФИСКАЛЬНЫЙ ЧЕК", "FISCAL RECEIPT"],
    FiscalZ => ["Fiskal Z-hisobot №", "Фискальный Z-отчёт №", "Fiscal Z report No."],
    FiscalDone => ["Fiskal chek: №{}, fiskal belgi {}", "Фискальный чек: №{}, фискальный признак {}", "Fiscal receipt: No. {}, fiscal sign {}"],
    FiscalRefused => ["Fiskal modul rad etdi: {}", "Фискальный модуль отклонил: {}", "The fiscal provider refused: {}"],
    FiscalSendAgain => ["Fiskal chekni qayta yuborish", "Отправить фискальный чек снова", "Send the fiscal receipt again"],
    FiscalQueued => ["Fiskal chek navbatga qoʻyildi", "Фискальный чек поставлен в очередь", "The fiscal receipt is queued"],
    MarkingTitle => ["Markirovka kodi", "Код маркировки", "Marking code"],
    MarkingLabel => ["Donadagi DataMatrix kodini skanerlang", "Отсканируйте код DataMatrix с единицы товара", "Scan the DataMatrix code on the piece"],
    MarkingBad => ["Bu markirovka kodi emas: donadagi DataMatrix kodini skanerlang.", "Это не код маркировки: отсканируйте DataMatrix с единицы товара.", "That is not a marking code: scan the DataMatrix code on the piece."],
    MarkingTwice => ["Bu kod allaqachon savatda: keyingi donani skanerlang.", "Этот код уже в корзине: отсканируйте следующую единицу.", "This code is in the cart already: scan the next piece."],
    ClassCode => ["MXIK (IKPU) kodi, 17 raqam", "Код ИКПУ (MXIK), 17 цифр", "Class code (MXIK), 17 digits"],
    PackageCode => ["Qadoq kodi", "Код упаковки", "Package code"],
    UnitCode => ["Oʻlchov birligi kodi", "Код единицы измерения", "Unit code"],
    VatRate => ["QQS stavkasi", "Ставка НДС", "VAT rate"],
    VatExempt => ["QQSsiz", "Без НДС", "Exempt"],
    MarkedGoods => ["Markirovkalangan tovar (har bir dona kodi skanerlanadi)", "Маркированный товар (код каждой единицы сканируется)", "Marked goods (each piece's code is scanned)"],
    FiscalReady => ["Fiskal: tayyor", "Фискализация: готово", "Fiscal: ready"],
    FiscalWaiting => ["Fiskal: {} chek navbatda", "Фискализация: {} чек(ов) в очереди", "Fiscal: {} receipts waiting"],
    FiscalOffline => ["Fiskal: aloqa yoʻq ({} navbatda)", "Фискализация: нет связи ({} в очереди)", "Fiscal: unreachable ({} waiting)"],
    FiscalRefusedCount => ["Fiskal: {} chek rad etildi (Sotuvlar)", "Фискализация: {} чек(ов) отклонено (Продажи)", "Fiscal: {} receipts refused (Sales)"],
    FiscalPending => ["Fiskal chek kutilmoqda", "Фискальный чек ожидается", "Fiscal receipt pending"],
    FiscalTerminal => ["FM raqami", "Номер ФМ", "Terminal"],
    FiscalReceiptNo => ["Chek raqami", "Номер чека", "Receipt No."],
    FiscalSign => ["Fiskal belgi", "Фискальный признак", "Fiscal sign"],
    FiscalTime => ["Sana va vaqt", "Дата и время", "Date and time"],
    StartingCashNeeded => ["Kassadagi naqd pulni kiriting (boʻsh boʻlsa 0).", "Введите сумму наличных в кассе (0, если пусто).", "Enter the cash in the drawer (0 if it is empty)."],
    WeightLabel => ["Ogʻirligi (kg)", "Вес (кг)", "Weight (kg)"],
    WeightNeeded => ["Ogʻirligini kiriting (masalan 1,250).", "Введите вес (например 1,250).", "Enter the weight (for example 1,250)."],
    WeighAfterDialog => ["{} tortiladigan tovar: avval bu oynani yoping (Esc), keyin qayta skanerlang.", "{} — весовой товар: сначала закройте это окно (Esc), затем отсканируйте снова.", "{} is sold by weight: close this window first (Esc), then scan it again."],
    TotalChanged => ["Jami oʻzgardi: {} → {}. Summani tekshiring.", "Итог изменился: {} → {}. Проверьте сумму.", "The total changed: {} → {}. Check the amount."],
    DiscountNeedsCart => ["Chegirma uchun avval savatga mahsulot qoʻshing", "Сначала добавьте товар в корзину, потом скидку", "Add goods to the cart before a discount"],
    BadPercent => ["Foiz notoʻgʻri: \"{}\" (0 dan 100 gacha, koʻpi bilan ikki kasr)", "Неверный процент: «{}» (от 0 до 100, не больше двух знаков после запятой)", "Not a percentage: \"{}\" (0 to 100, at most two decimals)"],
    QuickPage => ["Sahifa (1–9)", "Страница (1–9)", "Page (1–9)"],
    QuickPosition => ["Tugma (1–12)", "Кнопка (1–12)", "Key (1–12)"],
    QuickLabel => ["Tugmadagi yozuv (ixtiyoriy)", "Надпись на кнопке (необязательно)", "Label on the key (optional)"],
    QuickKeysTitle => ["Tez tanlash", "Быстрый выбор", "Quick pick"],
    QuickKeysKey => ["Tez tanlash (F10)", "Быстрый выбор (F10)", "Quick pick (F10)"],
    QuickKeysHint => ["1–9: sahifa, strelkalar: tugma, Enter: qoʻshish, Esc: yopish", "1–9: страница, стрелки: кнопка, Enter: добавить, Esc: закрыть", "1–9: page, arrows: key, Enter: add, Esc: close"],
    QuickKeysNone => ["Tez tanlash tugmalari yoʻq: menejer ularni «Mahsulotlar» boʻlimida joylaydi", "Кнопок быстрого выбора нет: менеджер расставляет их во вкладке «Товары»", "No quick-pick keys yet: a manager arranges them in the Products tab"],
    QuickKeysEditor => ["Kassadagi tez tanlash tugmalari", "Кнопки быстрого выбора на кассе", "Quick-pick keys at the till"],
    QuickKeyClear => ["Tugmani boʻshatish", "Очистить кнопку", "Clear the key"],
    QuickKeySaved => ["Tugma saqlandi", "Кнопка сохранена", "Key saved"],
    QuickKeyCleared => ["Tugma boʻshatildi", "Кнопка очищена", "Key cleared"],
    QuickKeyProduct => ["Mahsulot (nomi yoki shtrix-kodi)", "Товар (название или штрихкод)", "Product (name or barcode)"],
    ApproveDiscountTitle => ["Chegirma: menejer tasdigʻi", "Скидка: разрешение менеджера", "Discount: a manager's approval"],
    NextDue => ["Keyingi toʻlov: {} gacha {}", "Следующий платёж: до {} — {}", "Next payment: by {}, {}"],
    BotDueDates => ["Toʻlash muddatlari:", "Сроки оплаты:", "Due dates:"],
    BotNoDueDate => ["muddatsiz", "без срока", "no due date"],
    BotPurchases => ["Oxirgi xaridlar:", "Последние покупки:", "Last purchases:"],
    BotPayments => ["Oxirgi toʻlovlar:", "Последние платежи:", "Last payments:"],
    BotOnCredit => ["nasiyaga {}", "в долг {}", "on credit {}"],
    BotCreditSale => ["Nasiyaga xarid: {}. Umumiy qarzingiz: {}. Toʻlash muddati: {}.", "Покупка в долг: {}. Ваш общий долг: {}. Срок оплаты: {}.", "Purchase on credit: {}. You now owe {}. Due date: {}."],
    BotDebtPayment => ["Toʻlov qabul qilindi: {}. Qolgan qarz: {}.", "Платёж принят: {}. Остаток долга: {}.", "Payment received: {}. You still owe {}."],
    BotDebtPaidOff => ["Toʻlov qabul qilindi: {}. Qarzingiz yoʻq, rahmat!", "Платёж принят: {}. Долга больше нет, спасибо!", "Payment received: {}. You owe nothing now, thank you!"],
    BotDebtRefund => ["Qaytarilgan tovar qarzingizdan ayirildi: {}. Qolgan qarz: {}.", "Возврат товара уменьшил ваш долг на {}. Остаток долга: {}.", "A return lowered your debt by {}. You still owe {}."],
    BotDebtRefundPaidOff => ["Qaytarilgan tovar qarzingizdan ayirildi: {}. Qarzingiz yoʻq.", "Возврат товара уменьшил ваш долг на {}. Долга больше нет.", "A return lowered your debt by {}. You owe nothing now."],
    BotReminderBefore => ["{}, {} toʻlovingiz muddati {} ({} kun qoldi). Umumiy qarzingiz: {}.", "{}, оплату {} нужно внести до {} (осталось дней: {}). Ваш общий долг: {}.", "{}, {} is due on {}; days left: {}. Your total debt: {}."],
    BotReminderDueDay => ["{}, {} toʻlovingiz muddati bugun ({}). Umumiy qarzingiz: {}.", "{}, оплату {} нужно внести сегодня ({}). Ваш общий долг: {}.", "{}, {} is due today ({}). Your total debt: {}."],
    BotReminderOverdue => ["{}, {} toʻlovingiz muddati ({}) {} kun oʻtdi. Umumiy qarzingiz: {}. Iltimos, toʻlang.", "{}, оплата {} просрочена (срок был {}), дней просрочки: {}. Ваш общий долг: {}. Пожалуйста, оплатите.", "{}, {} was due on {}; days overdue: {}. Your total debt: {}. Please pay it."],
    BotLowStock => ["⚠ Kam qoldi: {} — {} (chegara {})", "⚠ Заканчивается: {} — {} (порог {})", "⚠ Low stock: {} — {} (threshold {})"],
    TelegramOff => ["Telegram: oʻchiq (token yoʻq)", "Telegram: выключен (нет токена)", "Telegram: off (no token)"],
    TelegramOn => ["Telegram: ishlayapti", "Telegram: работает", "Telegram: running"],
    TelegramElsewhere => ["Telegram: bot boshqa kassada ishlayapti", "Telegram: бот работает на другой кассе", "Telegram: the bot runs at another till"],
    TelegramConnecting => ["Telegram: ulanmoqda…", "Telegram: подключение…", "Telegram: connecting…"],
    TelegramWebhook => ["Telegram: boshqa dastur oʻrnatgan webhook botni toʻsib qoʻydi", "Telegram: бота блокирует webhook, установленный другой программой", "Telegram: a webhook set by another program blocks the bot"],
    TelegramDown => ["Telegram: aloqa yoʻq", "Telegram: нет связи", "Telegram: unreachable"],
    TelegramQueued => ["Navbatda {}", "В очереди {}", "{} waiting"],
    Broadcast => ["Mijozlarga xabar", "Рассылка клиентам", "Broadcast to customers"],
    BroadcastText => ["Xabar matni", "Текст сообщения", "Message text"],
    BroadcastSend => ["Yuborish", "Отправить", "Send"],
    BroadcastQueued => ["{} ta mijozga yuborilmoqda", "Отправляется клиентам: {}", "Sending to {} customers"],
    BroadcastProgressText => ["{} dan {} yetkazildi, {} xato, {} navbatda", "Из {} доставлено {}, ошибок {}, в очереди {}", "Of {}: {} delivered, {} failed, {} waiting"],
    BroadcastNoBot => ["Telegram bot sozlanmagan: avval tokenni kiriting", "Telegram-бот не настроен: сначала введите токен", "The Telegram bot is not set up: enter its token first"],
    ReminderHour => ["Eslatmalar soati (0–23)", "Час напоминаний (0–23)", "Reminder hour (0–23)"],
    ClosingHour => ["Eslatmalar shu soatgacha (1–24)", "Напоминания до часа (1–24)", "Reminders until hour (1–24)"],
    UncertainTitle => ["Yetib borgani nomaʼlum xabarlar", "Сообщения, доставка которых неизвестна", "Messages that may not have arrived"],
    UncertainNone => ["Bunday xabar yoʻq.", "Таких сообщений нет.", "None."],
    UncertainHint => ["Telegram javob bermay uzildi: xabar yetib borgan boʻlishi mumkin, shuning uchun oʻzi qayta yuborilmaydi.", "Telegram не ответил: сообщение могло дойти, поэтому само оно повторно не отправляется.", "Telegram did not answer: the message may have arrived, so it is not sent again by itself."],
    UncertainResend => ["Qayta yuborish", "Отправить снова", "Send again"],
    UncertainResent => ["Xabar qayta yuborish navbatiga qoʻyildi.", "Сообщение поставлено в очередь снова.", "The message is queued again."],
    UncertainResendAll => ["Hammasini qayta yuborish ({})", "Отправить все снова ({})", "Send all again ({})"],
    UncertainResendAllAsk => ["{} ta xabar qayta yuborilsinmi? Ulardan yetib borganlari mijozga ikkinchi marta boradi.", "Отправить {} сообщений снова? Те, что уже дошли, клиент получит второй раз.", "Send {} messages again? Those that did arrive reach the customer a second time."],
    UncertainResendAllYes => ["Ha, hammasini yuborish", "Да, отправить все", "Yes, send them all"],
    UncertainResentAll => ["{} ta xabar qayta yuborish navbatiga qoʻyildi.", "Сообщений поставлено в очередь снова: {}.", "{} messages are queued again."],
    OverdueDays => ["Muddati oʻtgan qarz: har necha kunda eslatish", "Просроченный долг: напоминать каждые N дней", "Overdue debt: remind every N days"],
    RegisterUnknown => ["Nomaʼlum raqamni yangi mijoz sifatida roʻyxatga olish (ha/yoʻq)", "Регистрировать неизвестные номера как новых клиентов (да/нет)", "Register unknown numbers as new customers (yes/no)"],
    RepSalesByProduct => ["Mahsulotlar boʻyicha savdo", "Продажи по товарам", "Sales by product"],
    RepSalesByCategory => ["Toifalar boʻyicha savdo", "Продажи по категориям", "Sales by category"],
    RepSalesByCashier => ["Kassirlar boʻyicha savdo", "Продажи по кассирам", "Sales by cashier"],
    RepSalesByPayment => ["Toʻlov turlari boʻyicha", "По способам оплаты", "Sales by payment method"],
    RepTopProducts => ["Eng koʻp sotilganlar", "Лидеры продаж", "Top products"],
    RepSlowProducts => ["Sekin sotilayotganlar", "Медленно продающиеся", "Slow-moving products"],
    RepStockValuation => ["Ombor qiymati", "Стоимость склада", "Stock valuation"],
    RepDebts => ["Qarzlar", "Долги", "Debts"],
    RepExpensesByCategory => ["Xarajatlar toifalar boʻyicha", "Расходы по категориям", "Expenses by category"],
    RepShifts => ["Smenalar (X/Z)", "Смены (X/Z)", "Shifts (X/Z)"],
    RepLines => ["Qatorlar", "Строк", "Lines"],
    RepCount => ["Soni", "Количество", "Count"],
    RepAverage => ["Oʻrtacha chek", "Средний чек", "Average receipt"],
    RepSold => ["Sotildi", "Продано", "Sold"],
    RepLastSold => ["Oxirgi sotuv", "Последняя продажа", "Last sold"],
    RepValueCost => ["Tannarxda", "По себестоимости", "At cost"],
    RepValueRetail => ["Sotuv narxida", "По цене продажи", "At retail"],
    RepOwed => ["Qarz", "Долг", "Owed"],
    RepDaysOverdue => ["Kechikkan kun", "Дней просрочки", "Days overdue"],
    ColShift => ["Smena", "Смена", "Shift"],
    RepNotYetDue => ["Muddati kelmagan", "Срок не наступил", "Not yet due"],
    RepLate1To30 => ["1–30 kun kechikkan", "Просрочка 1–30 дн.", "1–30 days late"],
    RepLate31To60 => ["31–60 kun kechikkan", "Просрочка 31–60 дн.", "31–60 days late"],
    RepLate61To90 => ["61–90 kun kechikkan", "Просрочка 61–90 дн.", "61–90 days late"],
    RepLateOver90 => ["90 kundan ortiq", "Просрочка более 90 дн.", "Over 90 days late"],
    RepOpened => ["Ochilgan", "Открыта", "Opened"],
    RepClosed => ["Yopilgan", "Закрыта", "Closed"],
    RepTotal => ["Jami", "Итого", "Total"],
    RepPeriod => ["Davr: {} — {}", "Период: {} — {}", "Period: {} — {}"],
    RepAsOf => ["Holat: {}", "На дату: {}", "As of {}"],
    RepReport => ["Hisobot", "Отчёт", "Report"],
    ExportXlsx => ["Excel (.xlsx)", "Excel (.xlsx)", "Excel (.xlsx)"],
    ExportPdf => ["PDF", "PDF", "PDF"],
    ExportCsv => ["CSV", "CSV", "CSV"],
    ExportedTo => ["Saqlandi: {}", "Сохранено: {}", "Saved: {}"],
    ExportFolder => ["Saqlash papkasi", "Папка для файлов", "Save to folder"],
    TabDashboard => ["Koʻrsatkichlar", "Показатели", "Dashboard"],
    DashToday => ["Bugun", "Сегодня", "Today"],
    DashWeek => ["Shu hafta", "Эта неделя", "This week"],
    DashMonth => ["Shu oy", "Этот месяц", "This month"],
    DashRange => ["Davr", "Период", "Range"],
    DashPrevious => ["oldingi davr: {}", "пред. период: {}", "previous: {}"],
    DashByDay => ["Kunlar boʻyicha tushum va foyda", "Выручка и прибыль по дням", "Revenue and profit by day"],
    DashByHour => ["Soatlar boʻyicha savdo", "Продажи по часам", "Sales by hour of day"],
    DashByMethod => ["Toʻlov turlari", "Способы оплаты", "Payment methods"],
    DashRefunds => ["Qaytarishlar: {} ta, {} (koʻrsatkichlarga kirmaydi)", "Возвраты: {} шт., {} (не входят в показатели)", "Refunds: {}, {} (not in the figures)"],
    AverageReceipt => ["Oʻrtacha chek", "Средний чек", "Average receipt"],
    ErrWrongCredentials => ["Login yoki parol notoʻgʻri", "Неверный логин или пароль", "Wrong login or password"],
    ErrLockedOut => ["Juda koʻp notoʻgʻri urinish: {} soniyadan keyin qayta urining", "Слишком много неверных попыток: повторите через {} с", "Too many wrong passwords: try again in {} s"],
    ErrPasswordChange => ["Avval parolni oʻzgartiring", "Сначала смените пароль", "Change your password first"],
    ErrWeakPassword => [
        "Yangi parol kamida 8 belgi boʻlishi va eskisidan farq qilishi kerak",
        "Новый пароль: не меньше 8 символов и не как прежний",
        "The new password must have at least 8 characters and differ from the old one"
    ],
    ErrPasswordSameAsOld => ["Yangi parol eskisi bilan bir xil", "Новый пароль совпадает с прежним", "The new password is the same as the old one"],
    ErrPasswordIsLogin => ["Parol login bilan bir xil boʻlmasin", "Пароль не должен совпадать с логином", "The password must not be the login"],
    ErrPasswordCommon => ["Bu parol juda keng tarqalgan (hammaga maʼlum roʻyxatda bor): boshqasini tanlang", "Это слишком распространённый пароль (есть в общеизвестных списках): выберите другой", "This password is too common (it is on the well-known lists): choose another"],
    ErrNoShift => ["Avval smenani oching", "Сначала откройте смену", "Open a shift first"],
    ErrShiftOpen => ["Sizda ochiq smena bor", "У вас уже есть открытая смена", "You already have an open shift"],
    ErrEmpty => ["Savat boʻsh", "Корзина пуста", "The cart is empty"],
    ErrStock => ["{} yetarli emas: qoldiq {}, soʻralgan {}", "Недостаточно {}: остаток {}, запрошено {}", "Not enough {}: {} left, {} asked"],
    ErrPriceChanged => ["Narxlar oʻzgardi: jami endi {}", "Цены изменились: итог теперь {}", "Prices changed: the total is now {}"],
    ErrNasiya => [
        "Nasiya uchun mijoz va oʻtmagan qaytarish sanasi kerak",
        "Для продажи в долг нужен клиент и срок не в прошлом",
        "A nasiya sale needs a customer and a due date that is not in the past"
    ],
    ErrMissing => ["Yana {} toʻlash kerak", "Не хватает {}", "{} is still to be paid"],
    ErrOverpaid => ["Karta va nasiya jamidan {} ortiq", "Карта и долг больше итога на {}", "Card and nasiya are {} more than the total"],
    QtyEmpty => ["miqdor kiritilmagan", "количество не указано", "the quantity is empty"],
    QtyInvalid => ["«{}» miqdor emas", "«{}» — это не количество", "\"{}\" is not a quantity"],
    QtyNotPositive => ["miqdor noldan katta boʻlishi kerak", "количество должно быть больше нуля", "the quantity must be greater than zero"],
    QtyTooLarge => ["miqdor juda katta", "слишком большое количество", "the quantity is too large"],
    QtyNotWhole => ["bu mahsulot faqat butun dona sotiladi", "этот товар продаётся только целыми штуками", "this product is sold in whole pieces"],
    AmtEmpty => ["summa kiritilmagan", "сумма не указана", "the amount is empty"],
    AmtInvalid => ["«{}» pul summasi emas", "«{}» — это не сумма денег", "\"{}\" is not an amount of money"],
    AmtTooLarge => ["summa juda katta", "слишком большая сумма", "the amount is too large"],
    AmtNegative => ["summa manfiy boʻlishi mumkin emas", "сумма не может быть отрицательной", "the amount cannot be negative"],
    AmtNotPositive => ["toʻlov summasi noldan katta boʻlishi kerak", "сумма оплаты должна быть больше нуля", "a payment amount must be greater than zero"],
    BcEmpty => ["shtrix-kod kiritilmagan", "штрихкод не указан", "the barcode is empty"],
    BcMalformed => ["«{}» shtrix-kod emas: 4–32 ta harf, raqam yoki «-» boʻlishi kerak", "«{}» — не штрихкод: нужно от 4 до 32 букв, цифр или «-»", "\"{}\" is not a barcode: 4 to 32 letters, digits or - are allowed"],
    BcCheckDigit => ["{} shtrix-kodining nazorat raqami notoʻgʻri", "у штрихкода {} неверная контрольная цифра", "{} has a wrong check digit"],
    CartNoLine => ["savatda bunday qator yoʻq", "в корзине нет такой строки", "there is no such line in the cart"],
    CartNegative => ["chegirma yoki narx manfiy boʻlishi mumkin emas", "скидка или цена не может быть отрицательной", "a discount or price cannot be negative"],
    FieldTooLong => ["{}: juda uzun (koʻpi bilan {} belgi)", "{}: слишком длинно (не больше {} символов)", "{}: too long (at most {} characters)"],
    FieldControl => ["{}: boshqaruv belgilari boʻlmasligi kerak", "{}: не должно быть управляющих символов", "{}: must not contain control characters"],
    BadTimeZone => ["Vaqt mintaqasi «{}» nomaʼlum (masalan, Asia/Tashkent)", "Неизвестный часовой пояс «{}» (например, Asia/Tashkent)", "Unknown time zone \"{}\" (for example Asia/Tashkent)"],
    FieldWrong => ["{}: qiymat notoʻgʻri", "{}: неверное значение", "{}: wrong value"],
    InUseShift => ["{}: smenasi ochiq; avval uni yoping", "{}: смена открыта; сначала закройте её", "{} has an open shift; close it first"],
    InUseExpenses => ["«{}» turkumida xarajatlar bor", "В категории «{}» есть расходы", "Expenses use \"{}\""],
    ErrUnexpected => ["Kutilmagan xato; amal bajarilmadi (tafsilotlari jurnalda)", "Непредвиденная ошибка; действие не выполнено (подробности в журнале)", "Unexpected error; nothing was done (details in the log)"],
    ThingProduct => ["mahsulot", "товар", "product"],
    ThingCustomer => ["mijoz", "покупатель", "customer"],
    ThingSale => ["savdo", "продажа", "sale"],
    ThingSaleLine => ["savdo qatori", "строка продажи", "sale line"],
    ThingEmployee => ["xodim", "сотрудник", "employee"],
    ThingCategory => ["turkum", "категория", "category"],
    ThingExpense => ["xarajat", "расход", "expense"],
    ThingShift => ["smena", "смена", "shift"],
    ThingSupply => ["kirim", "приход", "supply"],
    ThingMethod => ["toʻlov usuli", "способ оплаты", "payment method"],
    ThingParked => ["kechiktirilgan savat", "отложенная корзина", "parked sale"],
    ThingBroadcast => ["xabar tarqatish", "рассылка", "broadcast"],
    ThingOrder => ["buyurtma", "заказ", "order"],
    ThingRecord => ["yozuv", "запись", "record"],
    ErrQuantity => ["Miqdor notoʻgʻri: {}", "Неверное количество: {}", "Wrong quantity: {}"],
    ErrAmount => ["Summa notoʻgʻri: {}", "Неверная сумма: {}", "Wrong amount: {}"],
    ErrDiscount => ["Chegirma summadan katta", "Скидка больше суммы", "The discount is larger than the amount"],
    ErrPhone => ["Telefon raqami notoʻgʻri", "Неверный номер телефона", "The phone number is not valid"],
    ErrPhoneTaken => ["Bu telefon raqami boshqa mijozda bor", "Этот номер уже у другого клиента", "This phone number belongs to another customer"],
    ErrArchived => ["{} arxivlangan, sotib boʻlmaydi", "{} в архиве, продавать нельзя", "{} is archived and cannot be sold"],
    ErrSelfDelete => ["Oʻzingizni oʻchira olmaysiz", "Нельзя удалить самого себя", "You cannot delete yourself"],
    ErrMainAdmin => ["Asosiy administratorni oʻchirib yoki rolini oʻzgartirib boʻlmaydi", "Главного администратора нельзя удалить или понизить", "The main admin cannot be deleted or lose the admin role"],
    ErrLoginTaken => ["«{}» logini band", "Логин «{}» уже занят", "The login \"{}\" is already taken"],
    ErrTinTaken => ["{} STIR allaqachon {} yetkazib beruvchisiga tegishli.", "ИНН {} уже принадлежит поставщику {}.", "The taxpayer number {} already belongs to the supplier {}."],
    ErrNameTaken => ["«{}» nomi allaqachon bor", "Название «{}» уже есть", "The name \"{}\" already exists"],
    ErrBarcodeTaken => ["{} shtrix-kodi boshqa mahsulotda", "Штрихкод {} уже у другого товара", "The barcode {} already belongs to another product"],
    ErrBarcode => ["Shtrix-kod notoʻgʻri: {}", "Неверный штрихкод: {}", "Wrong barcode: {}"],
    ErrOpenBalance => ["Mijozning balansi {}; avval hisob-kitob qiling", "У клиента баланс {}; сначала рассчитайтесь", "The customer's balance is {}; settle it first"],
    ErrCreditLimit => ["Kredit chegarasidan oshadi: mijozning qarzi {}, chegara {}. Menejer tasdiqlashi mumkin.", "Превышен кредитный лимит: долг клиента {}, лимит {}. Менеджер может разрешить.", "Over the credit limit: the customer owes {}, the limit is {}. A manager can approve."],
    CreditLimitLine => ["Qarz: {} · kredit chegarasi: {}", "Долг: {} · кредитный лимит: {}", "Owes {} · credit limit {}"],
    CreditNoLimit => ["chegarasiz", "без лимита", "no limit"],
    ApproveByManager => ["Menejer tasdigʻi (login va parol):", "Разрешение менеджера (логин и пароль):", "A manager's approval (login and password):"],
    Approve => ["Tasdiqlash", "Разрешить", "Approve"],
    CreditLimitField => ["Kredit chegarasi (boʻsh: umumiy sozlama)", "Кредитный лимит (пусто: общая настройка)", "Credit limit (empty: the shop's default)"],
    CreditDefaultLimit => ["Mijozlar uchun kredit chegarasi (boʻsh: chegarasiz)", "Кредитный лимит клиентов (пусто: без лимита)", "Customers' credit limit (empty: no limit)"],
    ErrRefundNeedsShift => ["Qaytarish va qarz toʻlovi smenada hisoblanadi: avval smenangizni oching", "Возвраты и погашения долга учитываются в смене: сначала откройте свою смену", "Refunds and debt payments are counted in a shift: open your shift first"],
    ErrDatabaseGone => ["Maʼlumotlar bazasi fayli {} oʻchirildi yoki koʻchirildi: endi hech narsa saqlanmaydi, savdo toʻxtatildi. Kassani yoping va faylni qaytaring (yoki zaxiradan tiklang).", "Файл базы данных {} удалён или перемещён: ничего больше не сохраняется, продажи остановлены. Закройте Kassa и верните файл (или восстановите из резервной копии).", "The database file {} was deleted or moved: nothing more is saved and sales are stopped. Close Kassa and put the file back (or restore a backup)."],
    ErrNoClassCode => ["«{}» uchun MXIK (tasniflagich kodi) kiritilmagan: avval Mahsulotlarda kiriting", "У товара «{}» нет кода ИКПУ: сначала укажите его в Товарах", "{} has no class code (MXIK): add it in Products before selling it"],
    ErrMarkingCodes => ["«{}» markirovkalangan: har bir dona markirovka kodini skanerlang ({} dan {})", "«{}» — маркированный товар: отсканируйте код маркировки каждой единицы ({} из {})", "{} is marked: scan the marking code of each piece ({} of {})"],
    ErrRefundDrawerShort => ["Kassada faqat {} boʻlishi kerak, qaytarishga {} naqd kerak: karta orqali qaytaring yoki avval kassaga pul qoʻying", "В кассе должно быть только {}, для возврата нужно {} наличными: верните на карту или сначала внесите наличные", "The drawer should hold only {}, the refund needs {} in cash: pay it back by card or put cash in first"],
    ErrRefundQty => ["Qaytariladigan miqdor noldan katta boʻlishi kerak", "Количество для возврата должно быть больше нуля", "The quantity to refund must be greater than zero"],
    ErrRefundMore => ["Bu qatordan faqat {} qaytarish mumkin", "По этой строке можно вернуть не больше {}", "Only {} is left to refund on this line"],
    ErrRefundNotCovered => ["Savdo toʻlovlari bu qaytarishni qoplamaydi", "Оплаты продажи не покрывают этот возврат", "The sale's payments do not cover this refund"],
    ErrMethodUnavailable => ["Bu toʻlov usuli qabul qilinmaydi (sozlamalarni koʻring)", "Этот способ оплаты не принимается (см. настройки)", "This payment method is not taken (see the settings)"],
    MethodNameUz => ["Nomi (oʻzbekcha)", "Название (узбекский)", "Name (Uzbek)"],
    MethodNameRu => ["Nomi (ruscha)", "Название (русский)", "Name (Russian)"],
    MethodNameEn => ["Nomi (inglizcha)", "Название (английский)", "Name (English)"],
    PaymentMethods => ["Naqdsiz toʻlov usullari", "Безналичные способы оплаты", "Non-cash payment methods"],
    MethodActive => ["Qabul qilinadi", "Принимается", "Taken"],
    MethodOrder => ["Tartib", "Порядок", "Order"],
    SaveMethod => ["Usulni saqlash", "Сохранить способ", "Save the method"],
    AddMethod => ["Usul qoʻshish", "Добавить способ", "Add a method"],
    ErrAlreadyRefunded => ["Bu savdo allaqachon qaytarilgan", "Эта продажа уже возвращена", "This sale was already refunded"],
    ErrNotFound => ["Topilmadi: {} №{}", "Не найдено: {} №{}", "Not found: {} #{}"],
    ErrUnknownBarcode => ["{} shtrix-kodli mahsulot yoʻq", "Нет товара со штрихкодом {}", "No product has the barcode {}"],
    ErrSessionGone => ["Hisobingiz endi yoʻq; qayta kiring", "Вашей учётной записи больше нет; войдите снова", "Your account no longer exists; log in again"],
    ErrRequired => ["{}: toʻldirilishi shart", "{}: обязательное поле", "{}: required"],
    ErrInvalidField => ["{}: {}", "{}: {}", "{}: {}"],
    ErrInUse => ["Hozir mumkin emas: {}", "Сейчас нельзя: {}", "Not now: {}"],
    ErrStore => ["Maʼlumotlar bazasi xatosi: {}", "Ошибка базы данных: {}", "Database error: {}"],
    ErrOther => ["Xato: {}", "Ошибка: {}", "Error: {}"],
    DbServerAddress => ["{} — PostgreSQL serveri, doʻkon bazasi fayli emas: bu yerda doʻkon faylini tanlang.", "{} — сервер PostgreSQL, а не файл базы магазина: здесь нужен файл магазина.", "{} is a PostgreSQL server, not a shop's database file: this needs the shop's file."],
    DbServerFileShared => ["{} fayli server parolini saqlaydi va bu kompyuterning boshqa foydalanuvchilari uni oʻqiy oladi: uni faqat egasi oʻqiydigan qiling (chmod 600).", "Файл {} хранит пароль сервера, и его могут прочитать другие пользователи этого компьютера: сделайте его доступным только владельцу (chmod 600).", "{} holds the server's password and other users of this computer may read it: make it readable by its owner only (chmod 600)."],
    DbServerFileBad => ["{} faylida postgres:// manzili yoʻq.", "В файле {} нет адреса postgres://.", "{} does not hold a postgres:// address."],
    DbMissing => ["{} fayli yoʻq.", "Файла {} нет.", "The file {} does not exist."],
    DbEmpty => ["{} — boʻsh fayl, Kassa bazasi emas.", "{} — пустой файл, а не база Кассы.", "{} is an empty file, not a Kassa database."],
    DbNotSqlite => ["{} — Kassa bazasi emas (SQLite fayli emas).", "{} — не база Кассы (не файл SQLite).", "{} is not a Kassa database (not an SQLite file)."],
    DbNotKassa => ["{} — boshqa dasturning SQLite fayli, Kassa bazasi emas.", "{} — файл SQLite другой программы, а не база Кассы.", "{} is another program's SQLite file, not a Kassa database."],
    DbNewer => ["{} bazasini Kassaning yangiroq versiyasi yozgan: Kassani yangilang.", "База {} записана более новой версией Кассы: обновите Кассу.", "{} was written by a newer version of Kassa: update Kassa."],
    DbOutdated => ["{} bazasini avval yangilash kerak: dasturni ishga tushiring yoki «kassa migrate».", "Базу {} нужно сначала обновить: запустите программу или «kassa migrate».", "{} needs a schema update first: start the program or run `kassa migrate`."],
    DbHeld => ["{} bilan boshqa Kassa dasturi ishlayapti ({}). Avval uni yoping.", "С {} уже работает другая программа Кассы ({}). Сначала закройте её.", "Another Kassa program is using {} ({}). Close it first."],
    DbServerUnreachable => ["{} PostgreSQL serveriga ulanib boʻlmadi: tarmoqni va server ishlayotganini tekshiring.", "Не удалось подключиться к серверу PostgreSQL {}: проверьте сеть и что сервер работает.", "Cannot reach the PostgreSQL server {}: check the network and that the server is running."],
    DbServerLogin => ["{} PostgreSQL serveri kirishni rad etdi: foydalanuvchi nomi, parol va baza nomini tekshiring.", "Сервер PostgreSQL {} не пустил: проверьте имя пользователя, пароль и имя базы.", "The PostgreSQL server {} refused the login: check the user name, the password and the database name."],
    DbCannotOpen => ["{} faylini ochib boʻlmadi (ruxsat yoki disk xatosi).", "Не удалось открыть файл {} (нет прав или ошибка диска).", "The file {} cannot be opened (no permission or a disk error)."],
    DbDamaged => ["{} bazasi shikastlangan: tekshiruvdan oʻtmadi.", "База {} повреждена: проверка не пройдена.", "The database {} is damaged: it failed the integrity check."],
    DbReadOnly => ["{} fayliga yozib boʻlmaydi: u faqat oʻqish uchun (fayl yoki uning papkasi ruxsatlari yoki faqat oʻqiladigan disk), Kassa unga sotuvlarni saqlay olmaydi. Foydalanuvchingizga fayl va uning papkasiga yozish ruxsatini bering yoki boshqa faylni oching.", "Файл {} доступен только для чтения (права на файл или его папку либо диск только для чтения): Kassa не сможет сохранять в нём продажи. Дайте вашему пользователю право записи в файл и его папку или откройте другой файл.", "The file {} can only be read (the file's or its folder's permissions, or a read-only disk): Kassa could not save sales in it. Give your user the right to write the file and its folder, or open another file."],
    DbReadOnlyNow => ["Maʼlumotlar bazasi fayliga yozib boʻlmayapti (faqat oʻqish uchun boʻlib qoldi): hech narsa saqlanmadi. Fayl va papka ruxsatlarini yoki diskni tekshiring.", "Файл базы данных стал доступен только для чтения: ничего не сохранено. Проверьте права на файл и папку или диск.", "The database file can no longer be written (it became read-only): nothing was saved. Check the file's and folder's permissions, or the disk."],
    DbDiskFull => ["Disk toʻla: hech narsa saqlanmadi. Diskda joy boʻshating (eski zaxira nusxalar, keraksiz fayllar) va qayta urinib koʻring.", "Диск заполнен: ничего не сохранено. Освободите место на диске (старые резервные копии, ненужные файлы) и повторите.", "The disk is full: nothing was saved. Free some space on the disk (old backups, files you do not need) and try again."],
    DbBusy => ["Maʼlumotlar bazasini boshqa dastur band qilgan ({}): hech narsa saqlanmadi, bir ozdan soʻng qayta urinib koʻring.", "Базу данных заняла другая программа ({}): ничего не сохранено, повторите чуть позже.", "Another program holds the database ({}): nothing was saved; try again in a moment."],
    DbBusyWaiting => ["Kutilmoqda: maʼlumotlar bazasini boshqa dastur band qilgan ({}). Savdo u boʻshashi bilan oʻzi saqlanadi; skanerlash mumkin.", "Ожидание: базу данных заняла другая программа ({}). Продажа сохранится сама, как только база освободится; сканировать можно.", "Waiting: another program holds the database ({}). The sale is saved by itself as soon as it lets go; scanning goes on."],
    DbBusyProcess => ["{}, jarayon {}", "{}, процесс {}", "{}, process {}"],
    DbBusyUnknown => ["nomaʼlum dastur", "неизвестная программа", "an unknown program"],
    DbQuery => ["Maʼlumotlar bazasi xatosi.", "Ошибка базы данных.", "Database error."],
    HolderPid => ["jarayon {}", "процесс {}", "process {}"],
    HolderUnknown => ["boshqa jarayon", "другой процесс", "another process"],
    StartOpening => ["Maʼlumotlar bazasi ochilmoqda…", "Открывается база данных…", "Opening the database…"],
    StartWaiting => ["{} faylini {} boʻshatishi kutilmoqda…", "Ожидание, пока {} освободит файл {}…", "Waiting for {} to release {}…"],
    StartCannotOpen => ["Maʼlumotlar bazasini ochib boʻlmadi", "Не удалось открыть базу данных", "The database cannot be opened"],
    StartWhatToDo => ["Nima qilish mumkin:", "Что можно сделать:", "What you can do:"],
    StartTryAgain => ["Qayta urinish (Enter)", "Повторить (Enter)", "Try again (Enter)"],
    StartOtherFile => ["Boshqa faylni ochish (yoʻli):", "Открыть другой файл (путь):", "Open another file (its path):"],
    StartOpen => ["Ochish", "Открыть", "Open"],
    StartRestore => ["Zaxira nusxadan tiklash:", "Восстановить из резервной копии:", "Restore a backup:"],
    StartRestoreButton => ["Tanlanganini tiklash", "Восстановить выбранную", "Restore the selected one"],
    StartNoBackups => ["{} papkasida zaxira nusxa yoʻq.", "В папке {} нет резервных копий.", "There are no backups in {}."],
    StartRestored => ["Tiklandi: {}. Oldingi baza saqlandi: {}.", "Восстановлено: {}. Прежняя база сохранена: {}.", "Restored {}. The previous database is kept as {}."],
    StartQuit => ["Chiqish", "Выход", "Quit"],
    CashToSuppliers => ["Yetkazib beruvchilarga naqd", "Наличными поставщикам", "Cash paid to suppliers"],
    ErrSupplierOverpaid => ["Bu yetkazib beruvchiga qarzimiz faqat {}", "Мы должны этому поставщику только {}", "The shop owes this supplier only {}"],
    ErrPayoutNeedsShift => ["Naqd pul kassadan beriladi: smenangizni oching yoki bank orqali toʻlang", "Наличные выдаются из кассы: откройте смену или оплатите через банк", "Cash is paid out of your drawer: open your shift or pay by bank"],
    ErrDrawerShort => ["Kassada faqat {} boʻlishi kerak", "В кассе должно быть только {}", "The drawer should hold only {}"],
    ErrSupplierOwed => ["Bu yetkazib beruvchiga hali {} qarzmiz: avval toʻlang", "Мы ещё должны этому поставщику {}: сначала оплатите", "The shop still owes this supplier {}: pay it first"],
    ErrSupplierArchived => ["«{}» yetkazib beruvchisi arxivda", "Поставщик «{}» в архиве", "The supplier “{}” is archived"],
    ErrOpeningBelowPaid => ["Boshlangʻich qarz {} dan kam boʻlolmaydi: kirimlardan shuncha ortiq toʻlangan", "Начальный долг не может быть меньше {}: столько оплачено сверх поставок", "The opening balance cannot be less than {}: that much was paid beyond the supplies"],
    ErrFileOnly => ["Bu faqat doʻkon bazasi fayli uchun, PostgreSQL serveri uchun emas", "Это работает только с файлом базы магазина, а не с сервером PostgreSQL", "This works on a shop's database file only, not on a PostgreSQL server"],
    ErrOfflineNasiyaLimit => ["Server bilan aloqa yoʻq: aloqasiz nasiya bir mijozga {} gacha (bu mijozga yuborilishini kutayotgani {})", "Нет связи с сервером: без связи в долг одному клиенту не больше {} (этому клиенту уже ждёт отправки {})", "No connection to the server: nasiya offline is at most {} per customer (already waiting for this customer: {})"],
    ErrOutboxWaiting => ["{} ta savdo serverga yuborilishini kutmoqda: smenani yopishdan oldin server bilan aloqani tiklang", "{} продаж ждут отправки на сервер: восстановите связь с сервером, прежде чем закрывать смену", "{} sales wait to be sent to the server: bring the server back before closing the shift"],
    SaleKept => ["Savdo kassada saqlandi (server bilan aloqa yoʻq). Qaytim: {}. Yuborilishini kutmoqda: {}", "Продажа сохранена в кассе (нет связи с сервером). Сдача: {}. Ждут отправки: {}", "Sale kept at the till (no connection to the server). Change: {}. Waiting to be sent: {}"],
    OutboxOffline => ["Server bilan aloqa yoʻq — savdolar kassada saqlanmoqda ({} ta kutmoqda)", "Нет связи с сервером — продажи сохраняются в кассе (ждут: {})", "No connection to the server — sales are kept at the till ({} waiting)"],
    OutboxSending => ["Serverga yuborilmoqda: {} ta savdo", "Отправляются на сервер: {} продаж", "Sending to the server: {} sales"],
    OutboxRefused => ["Server {} ta savdoni qabul qilmadi: menejerga ayting", "Сервер не принял {} продаж: сообщите менеджеру", "The server refused {} sales: tell a manager"],
    OfflineShortStock => ["Diqqat, qoldiq yetmaydi: {}", "Внимание, остатка не хватает: {}", "Note, short stock: {}"],
    OfflineOverLimit => ["Diqqat, mijozning kredit chegarasi oshdi", "Внимание, превышен кредитный лимит клиента", "Note, over the customer's credit limit"],
    OfflineNasiyaLimit => ["Aloqasiz nasiya chegarasi, bir mijozga (boʻsh yoki 0: aloqasiz nasiya yoʻq)", "Лимит долга без связи с сервером, на клиента (пусто или 0: без связи в долг нельзя)", "Offline nasiya limit per customer (empty or 0: no nasiya offline)"],
    ErrSupplierOwesShop => ["Bu yetkazib beruvchi doʻkonga {} qarz: avval uni keyingi kirim bilan yoping", "Этот поставщик должен магазину {}: сначала зачтите это в следующую поставку", "This supplier owes the shop {}: set it against a supply first"],
    ErrOrderNotOpen => ["Buyurtma №{} allaqachon qabul qilingan yoki bekor qilingan", "Заказ №{} уже принят или отменён", "Order #{} was already received or cancelled"],
    ErrOrderOfAnotherSupplier => ["Buyurtma №{} boshqa yetkazib beruvchiniki", "Заказ №{} от другого поставщика", "Order #{} is from another supplier"],
    ErrTin => ["STIR 9 ta raqam (tashkilot) yoki JSHSHIR 14 ta raqam (jismoniy shaxs) boʻlishi kerak", "ИНН — 9 цифр (организация) или ПИНФЛ — 14 цифр (физлицо)", "The TIN must be 9 digits (a company) or 14 digits (a person)"],
    ThingSupplier => ["yetkazib beruvchi", "поставщик", "supplier"],
    TabSuppliers => ["Yetkazib beruvchilar", "Поставщики", "Suppliers"],
    Tin => ["STIR / JSHSHIR", "ИНН / ПИНФЛ", "TIN"],
    NewSupplier => ["Yangi yetkazib beruvchi", "Новый поставщик", "New supplier"],
    AddSupplier => ["Qoʻshish", "Добавить", "Add"],
    ShowArchivedSuppliers => ["Arxivdagilarni ham koʻrsatish", "Показывать архивных", "Show archived ones"],
    ArchiveSupplier => ["Arxivga olish", "В архив", "Archive"],
    RestoreSupplier => ["Arxivdan qaytarish", "Вернуть из архива", "Bring back"],
    InArchive => ["arxivda", "в архиве", "archived"],
    Purchased => ["Xarid qilindi", "Закуплено", "Purchased"],
    PaidOut => ["Toʻlandi", "Оплачено", "Paid"],
    WeOwe => ["Qarzimiz", "Наш долг", "We owe"],
    LastSupply => ["Oxirgi kirim", "Последний приход", "Last supply"],
    PaySupplier => ["Toʻlash", "Оплатить", "Pay"],
    PayFromDrawer => ["Kassadan naqd", "Наличными из кассы", "Cash from the drawer"],
    PayByBank => ["Bank orqali", "Через банк", "By bank"],
    SupplierPaid => ["{} toʻlandi. Qarzimiz: {}", "Оплачено {}. Наш долг: {}", "Paid {}. We owe: {}"],
    SupplierStatement => ["Hisob-kitob tarixi", "История расчётов", "Statement"],
    StmtSupply => ["Kirim №{}", "Приход №{}", "Supply #{}"],
    StmtCash => ["Naqd toʻlov", "Оплата наличными", "Cash payment"],
    StmtBank => ["Bank orqali toʻlov", "Оплата через банк", "Bank payment"],
    StmtSettled => ["Avval toʻlangan (hisob yuritilishidan oldin)", "Оплачено ранее (до учёта поставщиков)", "Paid before suppliers were kept"],
    OpeningBalance => ["Boshlangʻich qarz", "Начальный долг", "Opening balance"],
    StmtReturn => ["Qaytarish №{}", "Возврат №{}", "Return #{}"],
    Returned => ["Qaytarildi", "Возвращено", "Returned"],
    SupplierOwesUs => ["Yetkazib beruvchi bizga qarz", "Поставщик должен нам", "The supplier owes us"],
    ModeReturn => ["Yetkazib beruvchiga qaytarish", "Возврат поставщику", "Return to supplier"],
    ModeOrder => ["Buyurtma", "Заказ", "Order"],
    SaveReturn => ["Qaytarishni saqlash", "Провести возврат", "Save the return"],
    SaveOrder => ["Buyurtma berish", "Оформить заказ", "Place the order"],
    ReturnSaved => ["Qaytarish №{} saqlandi: {}", "Возврат №{} проведён: {}", "Return #{} saved: {}"],
    OrderSaved => ["Buyurtma №{} berildi", "Заказ №{} оформлен", "Order #{} placed"],
    OrderReceived => ["Buyurtma №{} qabul qilindi (kirim №{})", "Заказ №{} принят (приход №{})", "Order #{} received (supply #{})"],
    OrderCancelled => ["Buyurtma №{} bekor qilindi", "Заказ №{} отменён", "Order #{} cancelled"],
    OpenOrders => ["Ochiq buyurtmalar", "Открытые заказы", "Open orders"],
    Orders => ["Buyurtmalar", "Заказы", "Orders"],
    ReceiveOrder => ["Qabul qilish", "Принять", "Receive"],
    CancelOrder => ["Buyurtmani bekor qilish", "Отменить заказ", "Cancel the order"],
    ReceivingOrder => ["Buyurtma №{} boʻyicha kirim: kelgan miqdorni kiriting", "Приход по заказу №{}: введите пришедшее количество", "Receiving order #{}: enter what came"],
    OrderLabel => ["Buyurtma №{}, {}: {}", "Заказ №{}, {}: {}", "Order #{}, {}: {}"],
    OrderOpen => ["ochiq", "открыт", "open"],
    OrderDone => ["qabul qilingan", "принят", "received"],
    OrderCancelledState => ["bekor qilingan", "отменён", "cancelled"],
    Ordered => ["Buyurtma", "Заказано", "Ordered"],
    CameIn => ["Keldi", "Пришло", "Came"],
    AsOrdered => ["buyurtmadagidek", "как заказано", "as ordered"],
    BrowseFile => ["Faylni tizim oynasida tanlash (yoki yoʻlini yozing)", "Выбрать файл в окне системы (или впишите путь)", "Choose the file in the system's dialog (or type its path)"],
    BrowseFolder => ["Papkani tizim oynasida tanlash (yoki yoʻlini yozing)", "Выбрать папку в окне системы (или впишите путь)", "Choose the folder in the system's dialog (or type its path)"],
    ForAPeriod => ["Davr uchun", "За период", "For a period"],
    BalanceAtStart => ["Davr boshidagi qoldiq", "Сальдо на начало", "Balance at the start"],
    DebtUp => ["Qarz +", "Долг +", "Owed +"],
    DebtDown => ["Qarz −", "Долг −", "Owed −"],
    ReturnWhy => ["Qaytarish sababi", "Причина возврата", "Why it goes back"],
    ReturnReasonHint => ["Masalan: muddati oʻtgan, shikastlangan", "Например: просрочен, повреждён", "For example: expired, damaged"],
    ExportStatement => ["Hisob-kitobni saqlash:", "Сохранить акт сверки:", "Save the statement:"],
    Product => ["Mahsulot", "Товар", "Product"],
    PaidNow => ["Hozir toʻlanadi", "Оплата сейчас", "Paid now"],
    PaidNowHint => ["Boʻsh — keyin toʻlanadi; qolgani qarzimizga yoziladi", "Пусто — оплата позже; остаток станет нашим долгом", "Empty: pay later; the rest is owed to the supplier"],
    ChooseSupplier => ["Yetkazib beruvchini tanlang", "Выберите поставщика", "Choose a supplier"],
    NoSuppliersYet => ["Avval «Yetkazib beruvchilar» boʻlimida yetkazib beruvchi qoʻshing", "Сначала добавьте поставщика во вкладке «Поставщики»", "Add a supplier in the Suppliers tab first"],
    RepPurchasesBySupplier => ["Yetkazib beruvchilar boʻyicha xaridlar", "Закупки по поставщикам", "Purchases by supplier"],
    RepSupplierDebts => ["Yetkazib beruvchilarga qarzimiz", "Долги поставщикам", "What we owe suppliers"],
    RepSupplierStatement => ["Yetkazib beruvchi bilan hisob-kitob", "Акт сверки с поставщиком", "Supplier statement"],
    RepVatByRate => ["QQS stavkalar boʻyicha", "НДС по ставкам", "VAT by rate"],
    VatAmount => ["QQS", "НДС", "VAT"],
    RepSupplies => ["Kirimlar", "Приходов", "Supplies"],
    RepPaidInPeriod => ["Davrda toʻlandi", "Оплачено за период", "Paid in the period"],
    PriceTags => ["Narx yorliqlari", "Ценники", "Price tags"],
    LabelCodePage => ["Yorliq printeri kod sahifasi (1251, UTF-8)", "Кодовая страница принтера этикеток (1251, UTF-8)", "Label printer code page (1251, UTF-8)"],
    LabelCodeTooLong => ["{} shtrix-kodi {} yorligʻiga sigʻmaydi: kattaroq oʻlchamni tanlang.", "Штрихкод {} не помещается на этикетку {}: выберите размер побольше.", "The barcode {} does not fit a {} label: choose a larger size."],
    LabelPrinterPort => ["Yorliq printeri (TSPL)", "Принтер этикеток (TSPL)", "Label printer (TSPL)"],
    LabelSourceChosen => ["Tanlangan mahsulotlar", "Выбранные товары", "Chosen products"],
    LabelSourceCategory => ["Toifa", "Категория", "A category"],
    LabelSourceSupply => ["Kirim", "Приход", "A supply"],
    LabelFind => ["Yorliq uchun mahsulot", "Товар для этикетки", "Product for a label"],
    LabelSupplyNo => ["Kirim raqami", "Номер прихода", "Supply number"],
    LabelCopies => ["Nusxa", "Копий", "Copies"],
    LabelCopiesAll => ["Har biridan nusxa (boʻsh — odatdagidek)", "Копий каждого (пусто — как обычно)", "Copies of each (empty: the usual)"],
    LabelSize => ["Yorliq oʻlchami", "Размер этикетки", "Label size"],
    LabelWithDate => ["Sanasi bilan", "С датой", "With the date"],
    LabelToPrinter => ["Yorliq printeriga", "На принтер этикеток", "To the label printer"],
    LabelToSheet => ["A4 varaqqa (PDF)", "На лист A4 (PDF)", "On A4 sheets (PDF)"],
    LabelSheet => ["Varaq", "Лист", "Sheet"],
    LabelFile => ["Fayl", "Файл", "File"],
    LabelPrint => ["Yorliqlarni chiqarish", "Печать этикеток", "Make the labels"],
    LabelAdd => ["+ {}", "+ {}", "+ {}"],
    LabelsSent => ["{} ta yorliq printerga yuborildi", "Отправлено на принтер этикеток: {}", "{} label(s) sent to the printer"],
    LabelsSaved => ["{} ta yorliq, {} varaq: {}", "Этикеток: {}, листов: {}: {}", "{} label(s) on {} sheet(s): {}"],
    LabelsSending => ["Navbatda: {}", "В очереди: {}", "Waiting: {}"],
    LabelPrinterFailed => ["Yorliq printeri ({}) javob bermadi: yoqilganini va ulanganini tekshiring", "Принтер этикеток ({}) не ответил: проверьте, что он включён и подключён", "The label printer ({}) did not answer: check that it is on and connected"],
    NoLabelPrinter => ["Yorliq printeri sozlanmagan (Sozlamalar: yorliq printeri)", "Принтер этикеток не настроен (Настройки: принтер этикеток)", "No label printer is set up (Settings: label printer)"],
    NothingToLabel => ["Yorliq uchun mahsulot yoʻq", "Нет товаров для этикеток", "There are no products to label"],
    ErrExportWrite => ["Fayl yozilmadi: {}. Papka borligini va unga yozish mumkinligini tekshiring", "Файл не записан: {}. Проверьте, что папка существует и в неё можно писать", "The file was not written: {}. Check that the folder exists and can be written to"],
    ErrExportBuild => ["Faylni tayyorlab boʻlmadi; jurnalda sababi yozilgan", "Не удалось подготовить файл; причина записана в журнал", "The file could not be made; the reason is in the log"],
    CartRestored => ["Tugallanmagan savdo tiklandi", "Незавершённая продажа восстановлена", "The unfinished sale is back"],
    CardDebtPayments => ["Karta orqali qarz toʻlovlari", "Оплаты долгов картой", "Debt payments by card"],
    PayNote => ["Toʻlov izohi", "Комментарий к оплате", "Payment note"],
    RepOwedNow => ["Hozirgi qarzimiz", "Долг сейчас", "Owed now"],
}

pub fn quantity_error(lang: Lang, e: &crate::domain::quantity::QuantityError) -> String {
    use crate::domain::quantity::QuantityError as Q;
    match e {
        Q::Empty => lang.t(T::QtyEmpty).into(),
        Q::Invalid(s) => lang.fill(T::QtyInvalid, &[s]),
        Q::NotPositive => lang.t(T::QtyNotPositive).into(),
        Q::TooLarge => lang.t(T::QtyTooLarge).into(),
        Q::NotWhole => lang.t(T::QtyNotWhole).into(),
    }
}

pub fn money_error(lang: Lang, e: &crate::domain::money::MoneyParseError) -> String {
    use crate::domain::money::MoneyParseError as M;
    match e {
        M::Empty => lang.t(T::AmtEmpty).into(),
        M::Invalid(s) => lang.fill(T::AmtInvalid, &[s]),
        M::TooLarge => lang.t(T::AmtTooLarge).into(),
        M::Negative => lang.t(T::AmtNegative).into(),
    }
}

/// What a `NotFound` error names, in `lang`.
pub fn thing_name(lang: Lang, what: &str) -> &'static str {
    let key = match what {
        "product" => T::ThingProduct,
        "customer" => T::ThingCustomer,
        "sale" => T::ThingSale,
        "sale line" => T::ThingSaleLine,
        "employee" | "main admin" => T::ThingEmployee,
        "category" | "expense category" => T::ThingCategory,
        "expense" => T::ThingExpense,
        "shift" => T::ThingShift,
        "supply" => T::ThingSupply,
        "supplier" => T::ThingSupplier,
        "payment method" => T::ThingMethod,
        "parked sale" => T::ThingParked,
        "broadcast" => T::ThingBroadcast,
        "order" => T::ThingOrder,
        _ => T::ThingRecord,
    };
    lang.t(key)
}

/// A quantity as a number for people: thousands grouped like money ("89 996"), the decimal
/// comma in Uzbek and Russian ("1,25"), a dot in English.
pub fn quantity_number(lang: Lang, q: crate::domain::Quantity) -> String {
    let plain = q.to_string();
    let (whole, frac) = plain.split_once('.').unwrap_or((plain.as_str(), ""));
    let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
    let mut number = String::from(sign);
    crate::domain::money::push_grouped(&mut number, digits);
    if !frac.is_empty() {
        number.push(if lang == Lang::En { '.' } else { ',' });
        number.push_str(frac);
    }
    number
}

/// A quantity with its unit as a person reads it: "3 dona", "1,25 kg", "1,25 кг", "1.25 kg"
/// (a decimal comma in Uzbek and Russian).
pub fn quantity_text(lang: Lang, q: crate::domain::Quantity, unit: crate::domain::Unit) -> String {
    format!("{} {}", quantity_number(lang, q), unit_word(lang, unit))
}

/// A unit's short word: "dona"/"шт."/"pcs", "kg"/"кг".
pub fn unit_word(lang: Lang, unit: crate::domain::Unit) -> &'static str {
    lang.t(match unit {
        crate::domain::Unit::Piece => T::UnitPcs,
        crate::domain::Unit::Weight => T::UnitKg,
    })
}

/// An amount of money as a person reads it in a language: "12 500 soʻm", "12 500 сум",
/// "12 500 so'm" (the currency word per language; the number grouped by thousands).
pub trait MoneyText {
    fn text(self, lang: Lang) -> String;
}

impl MoneyText for crate::domain::Money {
    fn text(self, lang: Lang) -> String {
        format!("{} {}", self.format_number(), lang.t(T::Som))
    }
}

/// A chart axis amount in so'm, short: "500", "25 ming", "1,5 mln", "2 mlrd" (Russian
/// "тыс.", "млн", "млрд"; English "k", "M", "bn").
pub fn short_amount(lang: Lang, som: f64) -> String {
    let (ths, mln, bln) = match lang {
        Lang::Uz => ("ming", "mln", "mlrd"),
        Lang::Ru => ("тыс.", "млн", "млрд"),
        Lang::En => ("k", "M", "bn"),
    };
    let abs = som.abs();
    let (value, unit) = if abs >= 1e9 {
        (som / 1e9, bln)
    } else if abs >= 1e6 {
        (som / 1e6, mln)
    } else if abs >= 1e3 {
        (som / 1e3, ths)
    } else {
        // Small values (an empty chart's axis runs from -1 to 1): one decimal where needed,
        // so the marks read 0,2 0,4 … instead of a column of zeros.
        (som, "")
    };
    let rounded = (value * 10.0).round() / 10.0;
    let text = if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}").replace('.', ",")
    };
    if unit.is_empty() {
        text
    } else {
        format!("{text} {unit}")
    }
}

/// "Owes 80 000 so'm · credit limit 100 000 so'm" for a customer's balance (negative is
/// debt) and the limit that applies (`None`: no limit).
pub fn credit_line(lang: Lang, balance: i64, limit: Option<i64>) -> String {
    use crate::domain::Money;
    let limit = limit.map_or_else(
        || lang.t(T::CreditNoLimit).to_string(),
        |l| Money(l).text(lang),
    );
    lang.fill(
        T::CreditLimitLine,
        &[&Money((-balance).max(0)).text(lang), &limit],
    )
}

/// A field's name as the forms show it.
pub fn field_name(lang: Lang, field: &str) -> &str {
    let key = match field {
        "name" => T::ColName,
        "full_name" => T::CustomerName,
        "login" => T::Login,
        "reason" => T::Reason,
        "return_reason" => T::ReturnWhy,
        "supplier" => T::Supplier,
        "category" => T::Category,
        "tin" => T::Tin,
        "note" | "notes" => T::Notes,
        "sale_price" => T::ColPrice,
        "purchase_price" | "unit_cost" => T::PurchasePrice,
        "low_stock_threshold" => T::LowStockThreshold,
        "amount" => T::ColSum,
        "quantity" => T::ColQty,
        "timezone" => T::TimeZone,
        "language" => T::ShopLanguage,
        "phone" => T::Phone,
        "address" => T::Address,
        "passport" => T::Passport,
        "name_uz" => T::MethodNameUz,
        "printer.port" => T::PrinterPort,
        "labels.port" => T::LabelPrinterPort,
        "labels.codepage" => T::LabelCodePage,
        "printer.width" => T::PaperWidth,
        "fiscal.provider" => T::FiscalProvider,
        "class_code" => T::ClassCode,
        "package_code" => T::PackageCode,
        "unit_code" => T::UnitCode,
        "fiscal.url" => T::FiscalUrl,
        "printer.codepage" => T::CodePage,
        "scanner.ids" => T::ScannerIds,
        "telegram.admin_chats" => T::AdminChats,
        "telegram.register" => T::RegisterUnknown,
        "stock.allow_negative" => T::AllowNegativeStock,
        "telegram.reminder_hour" => T::ReminderHour,
        "telegram.closing_hour" => T::ClosingHour,
        "telegram.overdue_days" => T::OverdueDays,
        "telegram.token" => T::BotToken,
        "credit.default_limit" => T::CreditDefaultLimit,
        "credit.offline_limit" => T::OfflineNasiyaLimit,
        "credit_limit" => T::CreditDefaultLimit,
        "session.idle_minutes" => T::IdleMinutes,
        "name_ru" => T::MethodNameRu,
        "name_en" => T::MethodNameEn,
        "quick_key.page" => T::QuickPage,
        "quick_key.position" => T::QuickPosition,
        "quick_key.label" => T::QuickLabel,
        // Keys of the audit log's details.
        "owed" => T::WeOwe,
        "archived" => T::InArchive,
        "balance" => T::Balance,
        "total" => T::Total,
        "change" => T::Change,
        "stock" => T::ColStock,
        "unit" => T::CatUnit,
        "barcodes" => T::Barcodes,
        "category_id" => T::CatCategory,
        "due_date" => T::DueDate,
        "opening_cash" => T::StartingCash,
        "counted_cash" => T::CountedCash,
        "expected_cash" => T::Expected,
        "difference" => T::Difference,
        "client_id" | "client" => T::Customer,
        "employee_id" | "cashier" => T::Cashier,
        "kind" => T::Kind,
        "method" => T::Method,
        "role" => T::Role,
        "created_at" | "at" => T::When,
        "purchased" => T::Purchased,
        "paid" => T::PaidOut,
        "opening_balance" => T::OpeningBalance,
        "returned" => T::Returned,
        "return_id" => T::ModeReturn,
        "total_cost" => T::ColSum,
        "received_cost" => T::CameIn,
        "lines" => T::RepLines,
        "product" | "product_id" => T::Product,
        "supply_id" => T::KindSupply,
        "supplier_id" => T::Supplier,
        "ordered" => T::Ordered,
        "received" => T::CameIn,
        _ => return field,
    };
    lang.t(key)
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_reads_with_the_currency_word_of_each_language() {
        use super::MoneyText;
        let m = crate::domain::Money::from_major(1_250_000);
        assert_eq!(m.text(Lang::Uz), "1 250 000 soʻm");
        assert_eq!(m.text(Lang::Ru), "1 250 000 сум");
        assert_eq!(m.text(Lang::En), "1 250 000 so'm");
    }

    use super::*;

    #[test]
    fn every_string_is_translated_and_placeholders_agree() {
        for key in T::ALL {
            let counts: Vec<usize> = Lang::ALL
                .iter()
                .map(|&l| key.get(l).matches("{}").count())
                .collect();
            for l in Lang::ALL {
                assert!(!key.get(l).trim().is_empty(), "{key:?} is empty in {l:?}");
                // `fill` knows only "{}": a numbered one would reach the screen as typed.
                let text = key.get(l);
                assert!(
                    !(0..10).any(|n| text.contains(&format!("{{{n}}}"))),
                    "{key:?} has a numbered placeholder in {l:?}"
                );
            }
            assert!(
                counts.windows(2).all(|w| w[0] == w[1]),
                "{key:?}: placeholders differ {counts:?}"
            );
        }
    }

    #[test]
    fn quantities_group_thousands_and_say_their_unit() {
        use crate::domain::{Quantity, Unit};
        assert_eq!(
            quantity_text(Lang::Uz, Quantity(89_996_000), Unit::Piece),
            "89 996 dona"
        );
        assert_eq!(
            quantity_text(Lang::Ru, Quantity(1_250), Unit::Weight),
            "1,25 кг"
        );
        assert_eq!(
            quantity_text(Lang::En, Quantity(1_234_500), Unit::Weight),
            "1 234.5 kg"
        );
        assert_eq!(
            quantity_text(Lang::Uz, Quantity(-3_000), Unit::Piece),
            "-3 dona"
        );
    }

    #[test]
    fn chart_axes_are_short() {
        assert_eq!(short_amount(Lang::Uz, 90_000_000.0), "90 mln");
        assert_eq!(short_amount(Lang::Ru, 1_500_000.0), "1,5 млн");
        assert_eq!(short_amount(Lang::En, 25_000.0), "25 k");
        assert_eq!(short_amount(Lang::Uz, 2_000_000_000.0), "2 mlrd");
        assert_eq!(short_amount(Lang::Uz, 500.0), "500");
        assert_eq!(short_amount(Lang::Uz, 0.0), "0");
        assert_eq!(short_amount(Lang::Ru, 0.2), "0,2");
        assert_eq!(short_amount(Lang::Uz, -0.6000000001), "-0,6");
    }

    #[test]
    fn counts_take_the_plural_form_of_each_language() {
        let ru: Vec<String> = [1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 0]
            .into_iter()
            .map(|n| Lang::Ru.count(n, Noun::Item))
            .collect();
        assert_eq!(
            ru,
            [
                "1 позиция",
                "2 позиции",
                "4 позиции",
                "5 позиций",
                "11 позиций",
                "12 позиций",
                "14 позиций",
                "21 позиция",
                "22 позиции",
                "25 позиций",
                "101 позиция",
                "111 позиций",
                "0 позиций"
            ]
        );
        assert_eq!(Lang::En.count(1, Noun::Message), "1 message");
        assert_eq!(Lang::En.count(0, Noun::Message), "0 messages");
        assert_eq!(Lang::En.count(2, Noun::Customer), "2 customers");
        assert_eq!(Lang::Uz.count(3, Noun::Item), "3 ta tovar");
        assert_eq!(Lang::Ru.count(3, Noun::Message), "3 сообщения");
    }

    #[test]
    fn amounts_as_shown_are_read_back_by_the_one_parser() {
        for lang in Lang::ALL {
            let shown = crate::domain::Money(1_250_050).text(lang);
            assert_eq!(
                crate::domain::Money::parse(&shown),
                Ok(crate::domain::Money(1_250_050)),
                "{shown}"
            );
        }
    }

    #[test]
    fn fill_replaces_in_order() {
        assert_eq!(
            Lang::En.fill(T::SaleDone, &["12", "1 000 so'm"]),
            "Sale #12 done. Change: 1 000 so'm"
        );
        assert_eq!(
            Lang::Ru.fill(T::UnknownBarcode, &["123"]),
            "Неизвестный штрихкод: 123"
        );
    }

    #[test]
    fn uzbek_uses_the_proper_letter() {
        // oʻ and gʻ are written with U+02BB, not an ASCII apostrophe.
        for key in T::ALL {
            let s = key.get(Lang::Uz);
            assert!(!s.contains("o'") && !s.contains("g'"), "{key:?}: {s}");
        }
    }
}
