package open311_test

import "whistle/store"

func storeFilterChannel(ch string) store.CaseFilter { return store.CaseFilter{Channel: ch, Limit: 50} }
