-- A vehicle card built from the model directory (issue 17): the configuration it references and every option it
-- has (its packs' too) as filtered columns, and the build (choice, quote lines, frozen at the sale) read whole.
ALTER TABLE vehicles ADD COLUMN configuration_id uuid;
-- All three are NULL on a card without a build (most used cars), so they cost such rows nothing: the planner's
-- row width, which weighs a search's top-N sort, stays what it was.
ALTER TABLE vehicles ADD COLUMN option_codes text[];
ALTER TABLE vehicles ADD COLUMN build jsonb;
CREATE INDEX vehicles_configuration ON vehicles (dealer_id, configuration_id) WHERE configuration_id IS NOT NULL;
CREATE INDEX vehicles_options ON vehicles USING gin (option_codes);
CREATE INDEX vehicles_generation ON vehicles (dealer_id, lower(card ->> 'generation'));
