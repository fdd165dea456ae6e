package open311

import "whistle/store"

// filter is the store's selection of public requests.
type filter = store.PublicFilter

// storeFilter selects one request by id within a jurisdiction.
func storeFilter(id int64, region string) filter {
	return filter{IDs: []int64{id}, Region: region, Limit: 1}
}
