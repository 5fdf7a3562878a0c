// @generated automatically by Diesel CLI.

diesel::table! {
    audit_log_times (audit_id) {
        audit_id -> Integer,
        created_at -> Text,
    }
}

diesel::table! {
    audit_logs (id) {
        id -> Integer,
        employee_id -> Nullable<Integer>,
        actor -> Text,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        created_at -> Timestamp,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    broadcasts (id) {
        id -> Integer,
        text -> Text,
        employee_id -> Nullable<Integer>,
        recipients -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    catalog_changes (product_id) {
        product_id -> Integer,
        seq -> BigInt,
    }
}

diesel::table! {
    categories (id) {
        id -> Integer,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    client_ledger (id) {
        id -> Integer,
        client_id -> Integer,
        kind -> Text,
        amount -> BigInt,
        method -> Nullable<Text>,
        sale_id -> Nullable<Integer>,
        shift_id -> Nullable<Integer>,
        due_date -> Nullable<Date>,
        employee_id -> Nullable<Integer>,
        note -> Text,
        created_at -> Timestamp,
        channel_id -> Nullable<Integer>,
    }
}

diesel::table! {
    clients (id) {
        id -> Integer,
        full_name -> Text,
        phone -> Text,
        notes -> Text,
        deleted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        credit_limit -> Nullable<BigInt>,
    }
}

diesel::table! {
    employee_languages (employee_id) {
        employee_id -> Integer,
        language -> Text,
    }
}

diesel::table! {
    employees (id) {
        id -> Integer,
        full_name -> Text,
        phone -> Text,
        address -> Text,
        passport -> Text,
        notes -> Text,
        login -> Text,
        password_hash -> Text,
        role -> Text,
        is_main_admin -> Bool,
        must_change_password -> Bool,
        deleted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    expense_categories (id) {
        id -> Integer,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    expenses (id) {
        id -> Integer,
        category_id -> Integer,
        amount -> BigInt,
        note -> Text,
        spent_on -> Date,
        employee_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    fiscal_receipts (id) {
        id -> Integer,
        kind -> Text,
        sale_id -> Integer,
        refund_id -> Nullable<Integer>,
        shift_id -> Integer,
        code -> Text,
        status -> Text,
        request -> Text,
        attempts -> Integer,
        next_try_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        answer -> Nullable<Text>,
        created_at -> Timestamp,
        done_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    fiscal_shifts (shift_id) {
        shift_id -> Integer,
        status -> Text,
        z_number -> Nullable<Text>,
        last_error -> Nullable<Text>,
        opened_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    login_attempts (login) {
        login -> Text,
        failed -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    live_carts (employee_id) {
        employee_id -> Integer,
        payload -> Text,
        total -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    parked_carts (id) {
        id -> Integer,
        employee_id -> Integer,
        label -> Text,
        total -> BigInt,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    print_jobs (id) {
        id -> Integer,
        kind -> Text,
        sale_id -> Nullable<Integer>,
        document -> Text,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        next_try_at -> Timestamp,
        created_at -> Timestamp,
        printed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    product_barcodes (id) {
        id -> Integer,
        product_id -> Integer,
        barcode -> Text,
    }
}

diesel::table! {
    product_fiscal (product_id) {
        product_id -> Integer,
        class_code -> Text,
        package_code -> Text,
        unit_code -> Text,
        vat -> Text,
        marked -> Bool,
    }
}

diesel::table! {
    products (id) {
        id -> Integer,
        name -> Text,
        category_id -> Nullable<Integer>,
        unit -> Text,
        purchase_price -> BigInt,
        sale_price -> BigInt,
        stock -> BigInt,
        low_stock_threshold -> BigInt,
        archived -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        search_key -> Text,
    }
}

diesel::table! {
    purchase_prices (id) {
        id -> Integer,
        product_id -> Integer,
        price -> BigInt,
        supply_id -> Nullable<Integer>,
        employee_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reminders_sent (id) {
        id -> Integer,
        client_id -> Integer,
        due_date -> Date,
        kind -> Text,
        seq -> Integer,
        sent_at -> Timestamp,
        outbox_id -> Nullable<Integer>,
    }
}

diesel::table! {
    payment_methods (id) {
        id -> Integer,
        name_uz -> Text,
        name_ru -> Text,
        name_en -> Text,
        active -> Bool,
        position -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    quick_keys (page, position) {
        page -> Integer,
        position -> Integer,
        product_id -> Integer,
        label -> Text,
    }
}

diesel::table! {
    refund_payments (id) {
        id -> Integer,
        refund_id -> Integer,
        sale_payment_id -> Integer,
        method -> Text,
        amount -> BigInt,
        channel_id -> Nullable<Integer>,
    }
}

diesel::table! {
    refunds (id) {
        id -> Integer,
        sale_id -> Integer,
        employee_id -> Nullable<Integer>,
        shift_id -> Nullable<Integer>,
        amount -> BigInt,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sale_item_fiscal (sale_item_id) {
        sale_item_id -> Integer,
        class_code -> Text,
        package_code -> Text,
        unit_code -> Text,
        vat -> Text,
        marking_codes -> Text,
    }
}

diesel::table! {
    sale_prices (id) {
        id -> Integer,
        product_id -> Integer,
        price -> BigInt,
        employee_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sale_items (id) {
        id -> Integer,
        sale_id -> Integer,
        product_id -> Integer,
        product_name -> Text,
        quantity -> BigInt,
        unit_price -> BigInt,
        unit_cost -> BigInt,
        cost_total -> BigInt,
        gross -> BigInt,
        line_discount -> BigInt,
        sale_discount_share -> BigInt,
        line_total -> BigInt,
        sold_at -> Timestamp,
        refunded -> Bool,
        refund_id -> Nullable<Integer>,
    }
}

diesel::table! {
    sale_payments (id) {
        id -> Integer,
        sale_id -> Integer,
        method -> Text,
        amount -> BigInt,
        tendered -> BigInt,
        change_given -> BigInt,
        refunded -> BigInt,
        channel_id -> Nullable<Integer>,
    }
}

diesel::table! {
    sales (id) {
        id -> Integer,
        idempotency_key -> Text,
        shift_id -> Integer,
        employee_id -> Integer,
        client_id -> Nullable<Integer>,
        subtotal -> BigInt,
        discount -> BigInt,
        total -> BigInt,
        due_date -> Nullable<Date>,
        created_at -> Timestamp,
        refunded_at -> Nullable<Timestamp>,
        refunded_by -> Nullable<Integer>,
        refund_shift_id -> Nullable<Integer>,
        refund_reason -> Text,
        refunded_amount -> BigInt,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    shifts (id) {
        id -> Integer,
        employee_id -> Integer,
        opened_at -> Timestamp,
        opening_cash -> BigInt,
        closed_at -> Nullable<Timestamp>,
        expected_cash -> Nullable<BigInt>,
        counted_cash -> Nullable<BigInt>,
        difference -> Nullable<BigInt>,
        close_note -> Text,
    }
}

diesel::table! {
    stock_movements (id) {
        id -> Integer,
        product_id -> Integer,
        kind -> Text,
        quantity -> BigInt,
        sale_id -> Nullable<Integer>,
        supply_id -> Nullable<Integer>,
        employee_id -> Nullable<Integer>,
        reason -> Text,
        created_at -> Timestamp,
        return_id -> Nullable<Integer>,
    }
}

diesel::table! {
    stocktake_counts (stocktake_id, product_id) {
        stocktake_id -> Integer,
        product_id -> Integer,
        expected -> BigInt,
        counted -> BigInt,
        first_counted_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    stocktakes (id) {
        id -> Integer,
        categories -> Text,
        status -> Text,
        started_by -> Nullable<Integer>,
        started_at -> Timestamp,
        applied_at -> Nullable<Timestamp>,
        reason -> Text,
    }
}

diesel::table! {
    supplies (id) {
        id -> Integer,
        supplier -> Text,
        employee_id -> Integer,
        total_cost -> BigInt,
        notes -> Text,
        created_at -> Timestamp,
        supplier_id -> Nullable<Integer>,
    }
}

diesel::table! {
    supplier_payments (id) {
        id -> Integer,
        supplier_id -> Integer,
        supply_id -> Nullable<Integer>,
        method -> Text,
        amount -> BigInt,
        shift_id -> Nullable<Integer>,
        employee_id -> Integer,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    suppliers (id) {
        id -> Integer,
        name -> Text,
        phone -> Text,
        tin -> Text,
        address -> Text,
        notes -> Text,
        archived -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        opening_balance -> BigInt,
    }
}

diesel::table! {
    supply_items (id) {
        id -> Integer,
        supply_id -> Integer,
        product_id -> Integer,
        quantity -> BigInt,
        unit_cost -> BigInt,
    }
}

diesel::table! {
    telegram_chats (chat_id) {
        chat_id -> BigInt,
        language -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    telegram_links (id) {
        id -> Integer,
        client_id -> Integer,
        chat_id -> BigInt,
        user_id -> BigInt,
        language -> Text,
        linked_at -> Timestamp,
        blocked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    telegram_outbox (id) {
        id -> Integer,
        chat_id -> BigInt,
        kind -> Text,
        text -> Text,
        client_id -> Nullable<Integer>,
        broadcast_id -> Nullable<Integer>,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        next_try_at -> Timestamp,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        requested_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    telegram_pause (id) {
        id -> Integer,
        until -> Timestamp,
        reason -> Text,
    }
}

diesel::table! {
    purchase_order_items (id) {
        id -> Integer,
        order_id -> Integer,
        product_id -> Integer,
        quantity -> BigInt,
        unit_cost -> BigInt,
    }
}

diesel::table! {
    purchase_orders (id) {
        id -> Integer,
        supplier_id -> Integer,
        employee_id -> Integer,
        status -> Text,
        total_cost -> BigInt,
        note -> Text,
        supply_id -> Nullable<Integer>,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    supplier_return_items (id) {
        id -> Integer,
        return_id -> Integer,
        product_id -> Integer,
        quantity -> BigInt,
        unit_cost -> BigInt,
    }
}

diesel::table! {
    supplier_returns (id) {
        id -> Integer,
        supplier_id -> Integer,
        employee_id -> Integer,
        total_cost -> BigInt,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(audit_log_times -> audit_logs (audit_id));
diesel::joinable!(audit_logs -> employees (employee_id));
diesel::joinable!(broadcasts -> employees (employee_id));
diesel::joinable!(client_ledger -> clients (client_id));
diesel::joinable!(client_ledger -> employees (employee_id));
diesel::joinable!(client_ledger -> sales (sale_id));
diesel::joinable!(client_ledger -> shifts (shift_id));
diesel::joinable!(employee_languages -> employees (employee_id));
diesel::joinable!(expenses -> employees (employee_id));
diesel::joinable!(fiscal_receipts -> refunds (refund_id));
diesel::joinable!(fiscal_receipts -> sales (sale_id));
diesel::joinable!(fiscal_receipts -> shifts (shift_id));
diesel::joinable!(fiscal_shifts -> shifts (shift_id));
diesel::joinable!(product_fiscal -> products (product_id));
diesel::joinable!(sale_item_fiscal -> sale_items (sale_item_id));
diesel::joinable!(expenses -> expense_categories (category_id));
diesel::joinable!(live_carts -> employees (employee_id));
diesel::joinable!(parked_carts -> employees (employee_id));
diesel::joinable!(print_jobs -> sales (sale_id));
diesel::joinable!(product_barcodes -> products (product_id));
diesel::joinable!(products -> categories (category_id));
diesel::joinable!(purchase_prices -> employees (employee_id));
diesel::joinable!(purchase_prices -> products (product_id));
diesel::joinable!(purchase_prices -> supplies (supply_id));
diesel::joinable!(quick_keys -> products (product_id));
diesel::joinable!(refund_payments -> payment_methods (channel_id));
diesel::joinable!(refund_payments -> refunds (refund_id));
diesel::joinable!(refund_payments -> sale_payments (sale_payment_id));
diesel::joinable!(refunds -> sales (sale_id));
diesel::joinable!(refunds -> shifts (shift_id));
diesel::joinable!(reminders_sent -> clients (client_id));
diesel::joinable!(reminders_sent -> telegram_outbox (outbox_id));
diesel::joinable!(sale_items -> products (product_id));
diesel::joinable!(sale_items -> sales (sale_id));
diesel::joinable!(sale_payments -> payment_methods (channel_id));
diesel::joinable!(sale_payments -> sales (sale_id));
diesel::joinable!(sale_prices -> products (product_id));
diesel::joinable!(sale_prices -> employees (employee_id));
diesel::joinable!(sales -> clients (client_id));
diesel::joinable!(shifts -> employees (employee_id));
diesel::joinable!(stock_movements -> employees (employee_id));
diesel::joinable!(stock_movements -> products (product_id));
diesel::joinable!(stock_movements -> sales (sale_id));
diesel::joinable!(stock_movements -> supplies (supply_id));
diesel::joinable!(stocktake_counts -> products (product_id));
diesel::joinable!(stocktake_counts -> stocktakes (stocktake_id));
diesel::joinable!(stocktakes -> employees (started_by));
diesel::joinable!(supplies -> employees (employee_id));
diesel::joinable!(supplies -> suppliers (supplier_id));
diesel::joinable!(supplier_payments -> suppliers (supplier_id));
diesel::joinable!(supplier_payments -> supplies (supply_id));
diesel::joinable!(supplier_payments -> shifts (shift_id));
diesel::joinable!(supplier_payments -> employees (employee_id));
diesel::joinable!(supply_items -> products (product_id));
diesel::joinable!(supply_items -> supplies (supply_id));
diesel::joinable!(supplier_returns -> suppliers (supplier_id));
diesel::joinable!(supplier_return_items -> supplier_returns (return_id));
diesel::joinable!(supplier_return_items -> products (product_id));
diesel::joinable!(purchase_orders -> suppliers (supplier_id));
diesel::joinable!(purchase_order_items -> purchase_orders (order_id));
diesel::joinable!(purchase_order_items -> products (product_id));
diesel::joinable!(telegram_links -> clients (client_id));
diesel::joinable!(telegram_outbox -> broadcasts (broadcast_id));
diesel::joinable!(telegram_outbox -> clients (client_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_log_times,
    purchase_order_items,
    purchase_orders,
    supplier_return_items,
    supplier_returns,
    audit_logs,
    broadcasts,
    catalog_changes,
    categories,
    client_ledger,
    clients,
    employee_languages,
    employees,
    expense_categories,
    expenses,
    fiscal_receipts,
    fiscal_shifts,
    login_attempts,
    live_carts,
    parked_carts,
    payment_methods,
    print_jobs,
    product_fiscal,
    product_barcodes,
    products,
    purchase_prices,
    quick_keys,
    refund_payments,
    refunds,
    reminders_sent,
    sale_item_fiscal,
    sale_items,
    sale_payments,
    sale_prices,
    sales,
    settings,
    shifts,
    stock_movements,
    stocktake_counts,
    stocktakes,
    supplier_payments,
    suppliers,
    supplies,
    supply_items,
    telegram_chats,
    telegram_links,
    telegram_outbox,
    telegram_pause,
);
