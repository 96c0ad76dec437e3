package appraisal

import (
	"context"
	"errors"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// Service runs the appraisal use cases, each in one unit of work over Stores.
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
	files crm.FileStore
	sniff func([]byte) string
}

// Option configures a Service.
type Option func(*Service)

// WithFiles keeps the bytes of attachments in fs (without it AttachFile and ReadFile fail as internal errors).
func WithFiles(fs crm.FileStore) Option { return func(s *Service) { s.files = fs } }

// WithSniffer sniffs the content type of attachments with sniff: net/http.DetectContentType, which an adapter
// passes (this package may not import net/http). Without it AttachFile fails as an internal error.
func WithSniffer(sniff func([]byte) string) Option { return func(s *Service) { s.sniff = sniff } }

// NewService returns the service over uow; a nil clock means crm.SystemClock. It panics on a nil unit of work (a
// wiring mistake).
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock, opts ...Option) *Service {
	if uow == nil {
		panic("appraisal.NewService: nil unit of work")
	}
	if clock == nil {
		clock = crm.SystemClock{}
	}
	s := &Service{uow: uow, clock: clock}
	for _, o := range opts {
		o(s)
	}
	return s
}

func wrap(op string, err error) error { return crm.Wrap(op, err) }

// dealerOf returns the context's dealer record.
func dealerOf(ctx context.Context, st Stores) (crm.Dealer, error) {
	id, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.Dealer{}, err
	}
	return st.Dealers().Get(ctx, id)
}

// templateItems returns the dealer's template items, or DefaultTemplate when it has none.
func templateItems(ctx context.Context, st Stores) ([]TemplateItem, error) {
	t, err := st.AppraisalTemplates().Get(ctx)
	if errors.Is(err, crm.ErrNotFound) {
		return DefaultTemplate(), nil
	}
	return t.Items, err
}

// checkOrigins refuses a lead, customer or sale that is not the dealer's (crm.KindInvalid naming every one).
func checkOrigins(ctx context.Context, st Stores, in Input) error {
	var p crm.Problems
	if in.LeadID != (crm.ID{}) {
		ok, err := st.AppraisalOrigins().LeadExists(ctx, in.LeadID)
		if err != nil {
			return err
		}
		if !ok {
			p.Add("lead_id", "no such lead")
		}
	}
	if in.CustomerID != (crm.ID{}) {
		_, err := st.Customers().Get(ctx, in.CustomerID)
		switch {
		case errors.Is(err, crm.ErrNotFound):
			p.Add("customer_id", "no such customer")
		case err != nil:
			return err
		}
	}
	if in.SaleID != (crm.ID{}) {
		ok, err := st.AppraisalOrigins().SaleExists(ctx, in.SaleID)
		if err != nil {
			return err
		}
		if !ok {
			p.Add("sale_id", "no such sale")
		}
	}
	return p.Err("appraisal")
}

// CreateAppraisal creates a draft sheet from in, its checklist taken from the dealer's template (DefaultTemplate
// when it has none), created by the context's actor. It returns crm.KindInvalid naming every wrong field,
// including a lead_id, customer_id or sale_id that is not the dealer's; nothing is saved then.
func (s *Service) CreateAppraisal(ctx context.Context, in Input) (Appraisal, error) {
	var out Appraisal
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := dealerOf(ctx, st)
		if err != nil {
			return err
		}
		items, err := templateItems(ctx, st)
		if err != nil {
			return err
		}
		originErr := checkOrigins(ctx, st, in)
		if originErr != nil && crm.KindOf(originErr) != crm.KindInvalid {
			return originErr
		}
		a, err := NewAppraisal(dealer, in, items, crm.ActorFrom(ctx), crm.Now(ctx))
		if err != nil || originErr != nil { // every wrong field at once: the sheet's and its origins'
			var p crm.Problems
			p.Merge("", err)
			p.Merge("", originErr)
			return p.Err("appraisal.NewAppraisal")
		}
		if err := st.Appraisals().Create(ctx, &a); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, wrap("appraisal.Service.CreateAppraisal", err)
}

// GetAppraisal returns the sheet; crm.KindNotFound if the dealer has none such.
func (s *Service) GetAppraisal(ctx context.Context, id crm.ID) (Appraisal, error) {
	var out Appraisal
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Appraisals().Get(ctx, id)
		return err
	})
	return out, wrap("appraisal.Service.GetAppraisal", err)
}

// ListAppraisals returns the page pr asks for of the dealer's sheets matching q, newest first (created_at, then
// ID); KindInvalid naming cursor for a cursor that is not one of this list.
func (s *Service) ListAppraisals(ctx context.Context, q Query, pr crm.PageRequest) (crm.Page[Appraisal], error) {
	var out crm.Page[Appraisal]
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Appraisals().Page(ctx, q, pr)
		return err
	})
	return out, wrap("appraisal.Service.ListAppraisals", err)
}

// change loads the sheet, checks expectedVersion (crm.CheckVersion, in the unit that writes), applies fn and
// saves it.
func (s *Service) change(ctx context.Context, op string, id crm.ID, expectedVersion int64,
	fn func(ctx context.Context, st Stores, a *Appraisal) error) (Appraisal, error) {
	var out Appraisal
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		a, err := st.Appraisals().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("appraisal", a.Version, expectedVersion); err != nil {
			return err
		}
		if err := fn(ctx, st, &a); err != nil {
			return err
		}
		if err := st.Appraisals().Update(ctx, &a); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, wrap(op, err)
}

// EditElement changes a checklist element of a draft (Appraisal.EditElement) read at expectedVersion (0:
// unconditional). It returns crm.KindStaleVersion, crm.KindNotFound (the sheet or the element), ErrNotDraft or
// crm.KindInvalid naming the wrong fields.
func (s *Service) EditElement(ctx context.Context, id crm.ID, expectedVersion int64, elementID crm.ID, c ElementChange) (Appraisal, error) {
	return s.change(ctx, "appraisal.Service.EditElement", id, expectedVersion, func(ctx context.Context, _ Stores, a *Appraisal) error {
		return a.EditElement(elementID, c, crm.ActorFrom(ctx), crm.Now(ctx))
	})
}

// EditAppraisal edits a draft's car, reference price, adjustments and justification (Appraisal.Apply) read at
// expectedVersion. It returns crm.KindStaleVersion, crm.KindNotFound, ErrNotDraft or crm.KindInvalid naming the
// wrong fields.
func (s *Service) EditAppraisal(ctx context.Context, id crm.ID, expectedVersion int64, c Changes) (Appraisal, error) {
	return s.change(ctx, "appraisal.Service.EditAppraisal", id, expectedVersion, func(ctx context.Context, st Stores, a *Appraisal) error {
		if c.IsZero() {
			return nil
		}
		dealer, err := dealerOf(ctx, st)
		if err != nil {
			return err
		}
		return a.Apply(dealer, c, crm.ActorFrom(ctx), crm.Now(ctx))
	})
}

// Transition moves the sheet read at expectedVersion by action (Appraisal.Act), by the context's actor with a
// comment. Approving and rejecting need an actor who is a user of the dealer whose role holds
// crm.PermApproveAppraisals (crm.KindForbidden otherwise). It returns crm.KindStaleVersion, crm.KindNotFound,
// ErrTransition for an action the state does not allow, or crm.KindInvalid ("justification" to submit without
// one, "comment" to reject without one).
func (s *Service) Transition(ctx context.Context, id crm.ID, expectedVersion int64, action Action, comment string) (Appraisal, error) {
	return s.transition(ctx, "appraisal.Service.Transition", id, expectedVersion, action, nil, comment)
}

// SubmitAppraisal submits the draft read at expectedVersion, first setting its justification when one is given
// (nil keeps the draft's), in one unit of work; see Transition.
func (s *Service) SubmitAppraisal(ctx context.Context, id crm.ID, expectedVersion int64, justification *string, comment string) (Appraisal, error) {
	return s.transition(ctx, "appraisal.Service.SubmitAppraisal", id, expectedVersion, ActionSubmit, justification, comment)
}

func (s *Service) transition(ctx context.Context, op string, id crm.ID, expectedVersion int64, action Action,
	justification *string, comment string) (Appraisal, error) {
	return s.change(ctx, op, id, expectedVersion, func(ctx context.Context, st Stores, a *Appraisal) error {
		by := crm.ActorFrom(ctx)
		if justification != nil {
			dealer, err := dealerOf(ctx, st)
			if err != nil {
				return err
			}
			if err := a.Apply(dealer, Changes{Justification: justification}, by, crm.Now(ctx)); err != nil {
				return err
			}
		}
		if action == ActionApprove || action == ActionReject {
			if err := mayApprove(ctx, st, by, action); err != nil {
				return err
			}
		}
		return a.Act(action, comment, by, crm.Now(ctx))
	})
}

// mayApprove refuses an actor who is no user of the dealer, or whose role does not hold PermApproveAppraisals.
func mayApprove(ctx context.Context, st Stores, by crm.ID, action Action) error {
	const op = "appraisal.Service.Transition"
	if by == (crm.ID{}) {
		return crm.Forbidden(op, "only a user whose role may approve appraisals can %s one", action)
	}
	u, err := st.Users().Get(ctx, by)
	if errors.Is(err, crm.ErrNotFound) {
		return crm.Forbidden(op, "user %s is not a user of the dealer", by)
	}
	if err != nil {
		return err
	}
	if !crm.Can(u.Role, crm.PermApproveAppraisals) {
		return crm.Forbidden(op, "role %s may not %s appraisals", u.Role, action)
	}
	return nil
}

// GetTemplate returns the dealer's checklist template; a dealer without one gets DefaultTemplate's items in a
// template that is not stored (Version 0).
func (s *Service) GetTemplate(ctx context.Context) (Template, error) {
	var out Template
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		t, err := st.AppraisalTemplates().Get(ctx)
		if errors.Is(err, crm.ErrNotFound) {
			dealer, derr := crm.DealerFrom(ctx)
			if derr != nil {
				return derr
			}
			out = Template{Meta: crm.Meta{DealerID: dealer}, Items: DefaultTemplate()}
			return nil
		}
		out = t
		return err
	})
	return out, wrap("appraisal.Service.GetTemplate", err)
}

// SetTemplate replaces the dealer's checklist template with items (validated as NewTemplate does), creating it
// when the dealer has none; expectedVersion is the version read (0: unconditional; a dealer without a stored
// template is at version 0). Sheets already created keep their checklists. It returns crm.KindStaleVersion or
// crm.KindInvalid naming every wrong item.
func (s *Service) SetTemplate(ctx context.Context, expectedVersion int64, items []TemplateItem) (Template, error) {
	var out Template
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		t, err := st.AppraisalTemplates().Get(ctx)
		switch {
		case errors.Is(err, crm.ErrNotFound):
			if expectedVersion != crm.Unconditional {
				return crm.Stale("appraisal template", "the dealer has no stored template (version 0), not version %d", expectedVersion)
			}
			if t, err = NewTemplate(dealer, items, crm.Now(ctx)); err != nil {
				return err
			}
			if err := st.AppraisalTemplates().Create(ctx, &t); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if err := crm.CheckVersion("appraisal template", t.Version, expectedVersion); err != nil {
				return err
			}
			if err := t.Replace(items, crm.Now(ctx)); err != nil {
				return err
			}
			if err := st.AppraisalTemplates().Update(ctx, &t); err != nil {
				return err
			}
		}
		out = t
		return nil
	})
	return out, wrap("appraisal.Service.SetTemplate", err)
}

// AttachFile attaches a photo or document to a draft or submitted sheet: the content type is sniffed from the
// bytes and the upload judged by CheckUpload (crm.KindInvalid naming "file" or "file.name": wrong type, empty or
// too big, a path for a name); the bytes go to the file store outside any transaction, then the document record
// (kind PhotoKind or DocumentKind, subject the sheet) is saved in a unit of work that checks the sheet again. It
// returns crm.KindNotFound for an unknown sheet and ErrNotDraft for an approved or rejected one.
func (s *Service) AttachFile(ctx context.Context, id crm.ID, u Upload) (crm.Document, error) {
	const op = "appraisal.Service.AttachFile"
	if s.files == nil || s.sniff == nil {
		return crm.Document{}, crm.E(crm.KindInternal, op, errors.New("the service has no file store or sniffer (WithFiles, WithSniffer)"))
	}
	open := func(ctx context.Context, st Stores) error {
		a, err := st.Appraisals().Get(ctx, id)
		if err != nil {
			return err
		}
		if a.State != StateDraft && a.State != StateSubmitted {
			return fmt.Errorf("appraisal %s is %s, it takes no more files: %w", a.ID, a.State, ErrNotDraft)
		}
		return nil
	}
	if err := s.uow.View(ctx, open); err != nil {
		return crm.Document{}, wrap(op, err)
	}
	sniffed := ""
	if len(u.Data) > 0 {
		sniffed = s.sniff(u.Data)
	}
	name, contentType, kind, err := CheckUpload(u, sniffed)
	if err != nil {
		return crm.Document{}, wrap(op, err)
	}
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.Document{}, wrap(op, err)
	}
	doc := crm.Document{Meta: crm.NewMeta(dealer, s.clock.Now()), Kind: kind, SubjectID: id, Name: name,
		ContentType: contentType, Size: int64(len(u.Data)), SHA256: sha256Hex(u.Data)}
	doc.Key = FileKey(dealer, id, doc.ID, name)
	if err := s.files.Put(ctx, doc.Key, u.Data, contentType); err != nil {
		return crm.Document{}, wrap(op, err)
	}
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		if err := open(ctx, st); err != nil {
			return err
		}
		d := doc
		if err := st.Documents().Create(ctx, &d); err != nil {
			return err
		}
		doc = d
		return nil
	})
	return doc, wrap(op, err)
}

// ListFiles returns the attachments of a sheet, newest first; crm.KindNotFound for an unknown sheet.
func (s *Service) ListFiles(ctx context.Context, id crm.ID) ([]crm.Document, error) {
	var out []crm.Document
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		out = out[:0] // fn may run more than once
		if _, err := st.Appraisals().Get(ctx, id); err != nil {
			return err
		}
		docs, err := st.Documents().ListBySubject(ctx, id)
		for _, d := range docs {
			if d.Kind == PhotoKind || d.Kind == DocumentKind {
				out = append(out, d)
			}
		}
		return err
	})
	return out, wrap("appraisal.Service.ListFiles", err)
}

// ReadFile returns an attachment of a sheet and its bytes; crm.KindNotFound when the sheet or the file is not the
// dealer's or the file is not the sheet's.
func (s *Service) ReadFile(ctx context.Context, id, fileID crm.ID) (crm.Document, []byte, error) {
	const op = "appraisal.Service.ReadFile"
	if s.files == nil {
		return crm.Document{}, nil, crm.E(crm.KindInternal, op, errors.New("the service has no file store (WithFiles)"))
	}
	var doc crm.Document
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		if _, err := st.Appraisals().Get(ctx, id); err != nil {
			return err
		}
		doc, err = st.Documents().Get(ctx, fileID)
		if err == nil && (doc.SubjectID != id || (doc.Kind != PhotoKind && doc.Kind != DocumentKind)) {
			return crm.NotFound(op, "appraisal %s has no file %s", id, fileID)
		}
		return err
	})
	if err != nil {
		return crm.Document{}, nil, wrap(op, err)
	}
	data, err := s.files.Get(ctx, doc.Key)
	if errors.Is(err, crm.ErrNotFound) {
		return crm.Document{}, nil, crm.E(crm.KindInternal, op, err) // the record exists: the store lost the bytes
	}
	if err != nil {
		return crm.Document{}, nil, wrap(op, err)
	}
	return doc, data, nil
}
