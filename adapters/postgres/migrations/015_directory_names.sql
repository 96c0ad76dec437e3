-- Directory names as the product description gives them: the seeded need types and stages are named in Russian,
-- with the English name kept in name_en for other locales. Codes never change. Rows still carrying the old English
-- default name are renamed; a name the dealer chose is left alone (its English name stays empty).
ALTER TABLE need_types ADD COLUMN name_en text NOT NULL DEFAULT '';
ALTER TABLE lead_stages ADD COLUMN name_en text NOT NULL DEFAULT '';
ALTER TABLE sales_stages ADD COLUMN name_en text NOT NULL DEFAULT '';

UPDATE need_types AS t SET name_en = d.en, name = CASE WHEN t.name = d.en THEN d.ru ELSE t.name END
FROM (VALUES ('car_purchase', 'Car purchase', 'Покупка автомобиля'), ('trade_in', 'Trade-in', 'Trade in'),
             ('spare_parts', 'Spare parts', 'Запасные части'), ('accessories', 'Accessories', 'Аксессуары'),
             ('service', 'Service', 'Сервис')) AS d (code, en, ru)
WHERE t.code = d.code;

UPDATE lead_stages AS t SET name_en = d.en, name = CASE WHEN t.name = d.en THEN d.ru ELSE t.name END
FROM (VALUES ('new', 'New', 'Новый'), ('in_work', 'In work', 'В работе'), ('qualified', 'Qualified', 'Квалифицирован'),
             ('converted', 'Converted', 'Конвертирован в продажу'), ('disqualified', 'Disqualified', 'Дисквалифицирован'))
     AS d (code, en, ru)
WHERE t.code = d.code;

UPDATE sales_stages AS t SET name_en = d.en, name = CASE WHEN t.name = d.en THEN d.ru ELSE t.name END
FROM (VALUES ('new', 'New', 'Новая'), ('needs_discovery', 'Needs discovery', 'Выявление потребностей'),
             ('vehicle_selection', 'Vehicle selection', 'Подбор автомобиля'), ('test_drive', 'Test drive', 'Тест-драйв'),
             ('proposal', 'Proposal', 'Предложение'), ('negotiation', 'Negotiation', 'Переговоры'),
             ('contract', 'Contract', 'Договор'), ('won', 'Won', 'Завершена с победой'),
             ('lost', 'Lost', 'Завершена с поражением')) AS d (code, en, ru)
WHERE t.code = d.code;
