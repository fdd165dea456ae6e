-- A bulk load now sets foreign keys aside as well as indexes (store.SetAside): on
-- PostgreSQL each row's key check was about two thirds of inserting an event.
ALTER TABLE set_aside_indexes RENAME TO set_aside;
