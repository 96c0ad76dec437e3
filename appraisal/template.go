package appraisal

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/crm"
)

// TemplateItem is one element of a checklist template: what to inspect, in which area.
type TemplateItem struct {
	Area Area
	Name string // "Капот", "Лобовое стекло"
}

// Template is a dealer's checklist template: the elements every new sheet of the dealer starts with, grouped by
// area. A dealer has at most one; without one, sheets start from DefaultTemplate. Changing it changes the
// checklists of sheets created afterwards only.
type Template struct {
	crm.Meta
	Items []TemplateItem
}

// MaxNameLength is the longest element name, in characters.
const MaxNameLength = 200

// MaxTemplateItems is how many elements a template may hold.
const MaxTemplateItems = 300

// NewTemplate validates items as the template of dealer created at now: at least one item and at most
// MaxTemplateItems, each with a known area and a name (trimmed, at most MaxNameLength characters), no name twice
// in one area. Items are kept in the order of Areas, and in the given order within an area. It returns a
// crm.KindInvalid error naming every wrong field ("elements[3].area", "elements[4].name").
func NewTemplate(dealer crm.ID, items []TemplateItem, now time.Time) (Template, error) {
	out, err := checkItems(items)
	if err != nil {
		return Template{}, err
	}
	return Template{Meta: crm.NewMeta(dealer, now), Items: out}, nil
}

// Replace replaces the template's items with items, validated as NewTemplate does; on error t is unchanged.
func (t *Template) Replace(items []TemplateItem, now time.Time) error {
	out, err := checkItems(items)
	if err != nil {
		return err
	}
	t.Items, t.UpdatedAt = out, now.UTC()
	return nil
}

func checkItems(items []TemplateItem) ([]TemplateItem, error) {
	var p crm.Problems
	switch {
	case len(items) == 0:
		p.Add("elements", "must hold at least one element")
	case len(items) > MaxTemplateItems:
		p.Add("elements", "must hold at most %d elements", MaxTemplateItems)
	}
	seen := map[TemplateItem]bool{}
	byArea := map[Area][]TemplateItem{}
	for i, it := range items {
		f := fmt.Sprintf("elements[%d].", i)
		it.Name = strings.TrimSpace(it.Name)
		if !it.Area.Valid() {
			p.Add(f+"area", "must be one of %s", areaList())
		}
		switch {
		case it.Name == "":
			p.Add(f+"name", "is required")
		case utf8.RuneCountInString(it.Name) > MaxNameLength:
			p.Add(f+"name", "must be at most %d characters", MaxNameLength)
		case seen[it]:
			p.Add(f+"name", "is already in area %s", it.Area)
		}
		seen[it] = true
		byArea[it.Area] = append(byArea[it.Area], it)
	}
	if err := p.Err("appraisal.Template"); err != nil {
		return nil, err
	}
	out := make([]TemplateItem, 0, len(items))
	for _, a := range Areas() {
		out = append(out, byArea[a]...)
	}
	return out, nil
}

func areaList() string {
	names := make([]string, 0, len(Areas()))
	for _, a := range Areas() {
		names = append(names, string(a))
	}
	return strings.Join(names, ", ")
}

// Clone returns a deep copy.
func (t Template) Clone() Template {
	t.Items = append([]TemplateItem(nil), t.Items...)
	return t
}

// DefaultTemplate returns the checklist a dealer starts with (not stored, no metadata): the usual inspection
// points of a used car in every area, named in Russian.
func DefaultTemplate() []TemplateItem {
	items := []TemplateItem{}
	add := func(a Area, names ...string) {
		for _, n := range names {
			items = append(items, TemplateItem{Area: a, Name: n})
		}
	}
	add(AreaBody, "Капот", "Крыша", "Крыло переднее левое", "Крыло переднее правое", "Двери левые", "Двери правые",
		"Крылья задние", "Крышка багажника", "Бамперы", "Пороги и днище")
	add(AreaPaint, "Толщина ЛКП", "Сколы и царапины", "Следы окраса")
	add(AreaGlass, "Лобовое стекло", "Боковые и заднее стёкла", "Зеркала", "Фары и фонари")
	add(AreaInterior, "Сиденья и обивка", "Панель приборов", "Руль и органы управления", "Потолок и коврики")
	add(AreaEngine, "Запуск и работа двигателя", "Течи масла и жидкостей", "Навесное оборудование")
	add(AreaTransmission, "Коробка передач", "Сцепление / гидротрансформатор", "Привод и ШРУСы")
	add(AreaSuspension, "Передняя подвеска", "Задняя подвеска", "Рулевое управление")
	add(AreaBrakes, "Тормозные диски и колодки", "Стояночный тормоз", "ABS")
	add(AreaTyres, "Шины", "Диски", "Запасное колесо")
	add(AreaElectrics, "Аккумулятор", "Освещение", "Мультимедиа и климат", "Ошибки бортовой диагностики")
	add(AreaDocuments, "ПТС / ЭПТС", "СТС", "Сервисная книжка", "Комплект ключей")
	return items
}
