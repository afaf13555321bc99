-- Classifier v3 (issue 14): staff can also correct the two new risk types, discrimination and
-- sexual content involving pupils or staff.
alter table label_corrections drop constraint label_corrections_field_check;
alter table label_corrections add constraint label_corrections_field_check
  check (field in ('sentiment', 'personal_data', 'shaming', 'threat', 'inaccuracy', 'discrimination', 'sexual'));
