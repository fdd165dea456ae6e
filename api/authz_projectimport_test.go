package api_test

// previewProjectImport previews a table of one project of 联兴村 whose investor is the
// matrix's enterprise.
func previewProjectImport(e *mxEnv, _ *mxWho) mxCall {
	csv := "项目名称,统一社会信用代码,行业,类型,总投资（万元）,区划代码\n联兴导入项目," + e.things["uscc"] + ",agriculture,产业,100," + mxVillage + "\n"
	return mxCall{path: "/api/v1/projects/import?preview=true", contentType: "text/csv", body: []byte(csv)}
}
