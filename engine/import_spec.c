/* import_spec: the files of docs/IMPORT.md as data: for each, its table,
 * whether it is upserted or appended, its key, the dates that must not
 * decrease, its columns with what they must hold, and the rules of its own
 * that no column states. */
#include "import_int.h"

/* A survey's, an org event's or an evidence record's policy must be its
 * agreement's (docs/IMPORT.md). */
#define SAME_POLICY_SQL                                                                            \
	"SELECT r._line, 'policy_code', r.policy_code,"                                            \
	" 'is not the policy of agreement ' || a.code || ' (' || a.policy_code || ')', 21"         \
	" FROM pg_temp.import_rec r JOIN cruscotto.agreement a ON a.code = r.agreement_code"       \
	" WHERE r.policy_code <> a.policy_code"

/* evidence.csv: the constraints of schema 007 that no column rule states. A
 * title is one line of 1-200 characters (not bytes), a summary 1-4000
 * characters with no control character but newline and tab, a control
 * character named by its code point and position; and a record belongs to
 * an agreement, a neighbourhood or (neither) the whole policy. */
#define EVIDENCE_SQL                                                                               \
	"SELECT r._line, 'title', r.title, 'has ' || char_length(r.title) || ' characters, more"   \
	" than 200', 20 FROM pg_temp.import_rec r WHERE char_length(r.title) > 200 UNION ALL"      \
	" SELECT r._line, 'title', r.title, 'holds control character ' || x.c || ' (a title is"    \
	" one line of plain text)', 21 FROM pg_temp.import_rec r CROSS JOIN LATERAL (SELECT"       \
	" cruscotto.control_at(r.title, '[\\x01-\\x1f\\x7f-\\x9f]') AS c) x WHERE r.title ~"       \
	" '[\\x01-\\x1f\\x7f-\\x9f]' UNION ALL"                                                    \
	" SELECT r._line, 'summary', r.summary, 'has ' || char_length(r.summary) || ' characters," \
	" more than 4000', 20 FROM pg_temp.import_rec r WHERE char_length(r.summary) > 4000"       \
	" UNION ALL SELECT r._line, 'summary', r.summary, 'holds control character ' || x.c ||"    \
	" ' (only newline and tab may be used)', 21 FROM pg_temp.import_rec r CROSS JOIN LATERAL"  \
	" (SELECT cruscotto.control_at(r.summary, '[\\x01-\\x08\\x0b-\\x1f\\x7f-\\x9f]') AS c) x"  \
	" WHERE r.summary ~ '[\\x01-\\x08\\x0b-\\x1f\\x7f-\\x9f]' UNION ALL"                       \
	" SELECT r._line, 'neighbourhood_code', r.neighbourhood_code, 'must be empty when"         \
	" agreement_code is set (a record belongs to an agreement, a neighbourhood or the whole"   \
	" policy)', 22 FROM pg_temp.import_rec r WHERE r.agreement_code IS NOT NULL AND"           \
	" r.neighbourhood_code IS NOT NULL UNION ALL " SAME_POLICY_SQL

/* Column shorthands: R = required, O = optional. */
#define TEXT(n, req)                                                                               \
	{                                                                                          \
		.name = n, .type = T_TEXT, .required = req                                         \
	}
#define CODE(n)                                                                                    \
	{                                                                                          \
		.name = n, .type = T_CODE, .required = 1                                           \
	}
#define DATE(n, req)                                                                               \
	{                                                                                          \
		.name = n, .type = T_DATE, .required = req                                         \
	}
/* Text that may span lines, written by RFC 4180 writers with CR LF inside
 * the quotes: stored with LF (docs/DECISIONS.md). */
#define LINES(n, req)                                                                              \
	{                                                                                          \
		.name = n, .type = T_TEXT, .required = req, .lines = 1                             \
	}
#define REF(n, req, table, what)                                                                   \
	{                                                                                          \
		.name = n, .type = T_CODE, .required = req, .ref = table, .ref_what = what         \
	}
#define ENUM(n, req, vals, dflt)                                                                   \
	{                                                                                          \
		.name = n, .type = T_ENUM, .required = req, .values = vals, .def = dflt            \
	}
#define NUMBER(n, t, req, rng, msg, dflt, dig)                                                     \
	{                                                                                          \
		.name = n, .type = t, .required = req, .range = rng, .range_msg = msg,             \
		.def = dflt, .digits = dig                                                         \
	}
#define R 1
#define O 0

const struct file_spec imp_specs[IMP_NSPECS] = {
	{.name = "policies.csv",
	 .table = "policy",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), TEXT("name", R), DATE("started_on", R),
		  ENUM("locale", O, "it,en", "'it'"),
		  NUMBER("volunteer_hour_value_eur", T_NUM, R, "v >= 0", "must be >= 0", NULL, 6),
		  NUMBER("min_cell", T_INT, O, "v >= 1", "must be >= 1", "'5'", 6)}},
	{.name = "neighbourhoods.csv",
	 .table = "neighbourhood",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), TEXT("name", R),
		  NUMBER("population", T_BIGINT, R, "v >= 0", "must be >= 0", NULL, 9)}},
	{.name = "agreements.csv",
	 .table = "agreement",
	 .upsert = 1,
	 .key = {"code"},
	 .order = {"lab_started_on", "approved_on", "signed_on", "closed_on", "published_on"},
	 .cols = {CODE("code"), REF("policy_code", R, "policy", "a policy"), TEXT("title", R),
		  DATE("lab_started_on", R), DATE("approved_on", O), DATE("signed_on", O),
		  DATE("closed_on", O), DATE("published_on", O)}},
	{.name = "agreement_areas.csv",
	 .table = "agreement_area",
	 .key = {"agreement_code", "neighbourhood_code"},
	 .key_new = 1,
	 .cols = {REF("agreement_code", R, "agreement", "an agreement"),
		  REF("neighbourhood_code", R, "neighbourhood", "a neighbourhood")}},
	{.name = "ex_ante.csv",
	 .table = "ex_ante",
	 .cols = {REF("agreement_code", R, "agreement", "an agreement"),
		  ENUM("criterion", R, "feasibility,opportunity,relevance", NULL),
		  NUMBER("score", T_INT, R, "v BETWEEN 1 AND 5", "is out of range 1-5", NULL, 9),
		  DATE("assessed_on", R)}},
	{.name = "signatories.csv",
	 .table = "signatory",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), ENUM("kind", R, "association,volunteer,business,other", NULL),
		  TEXT("name", O)}},
	{.name = "signatures.csv",
	 .table = "signature",
	 .key = {"agreement_code", "signatory_code"},
	 .key_new = 1,
	 .cols = {REF("agreement_code", R, "agreement", "an agreement"),
		  REF("signatory_code", R, "signatory", "a signatory"), DATE("signed_on", R)}},
	{.name = "projects.csv",
	 .table = "project",
	 .upsert = 1,
	 .key = {"code"},
	 .order = {"defined_on", "completed_on"},
	 .cols = {CODE("code"), REF("agreement_code", R, "agreement", "an agreement"),
		  ENUM("kind", R, "community_care,city_care", NULL), TEXT("title", R),
		  DATE("defined_on", R), DATE("completed_on", O)}},
	{.name = "finance.csv",
	 .table = "finance",
	 .cols = {REF("project_code", R, "project", "a project"), DATE("booked_on", R),
		  ENUM("stage", R, "allocated,committed,spent", NULL),
		  NUMBER("amount_eur", T_NUM, R, NULL, NULL, NULL, 12)}},
	{.name = "milestones.csv",
	 .table = "milestone",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), REF("project_code", R, "project", "a project"), TEXT("title", R),
		  DATE("due_on", R), DATE("achieved_on", O)}},
	{.name = "meetings.csv",
	 .table = "meeting",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), REF("agreement_code", R, "agreement", "an agreement"),
		  DATE("held_on", R), ENUM("kind", R, "workshop,assembly,coordination,event", NULL),
		  NUMBER("hours", T_NUM, R, "v > 0", "must be > 0", NULL, 6)}},
	{.name = "attendance.csv",
	 .table = "attendance",
	 .key = {"meeting_code", "person"},
	 .key_new = 1,
	 .cols = {REF("meeting_code", R, "meeting", "a meeting"), TEXT("person", R),
		  ENUM("role", R, "citizen,association,business,staff", NULL)}},
	{.name = "resources.csv",
	 .table = "resource",
	 .cols = {REF("agreement_code", R, "agreement", "an agreement"), DATE("recorded_on", R),
		  ENUM("kind", R, "staff_hours,volunteer_hours,in_kind_eur", NULL),
		  NUMBER("quantity", T_NUM, R, "v >= 0", "must be >= 0", NULL, 12)}},
	{.name = "surveys.csv",
	 .table = "survey",
	 .upsert = 1,
	 .key = {"code"},
	 .extra = "SELECT r._line, 'agreement_code', NULL, 'is required unless instrument is"
		  " org_culture', 20 FROM pg_temp.import_rec r WHERE r.agreement_code IS NULL AND"
		  " r.instrument IN ('agreement_quality', 'satisfaction', 'relationship_quality',"
		  " 'quality_of_life') UNION ALL " SAME_POLICY_SQL,
	 .cols = {CODE("code"), REF("policy_code", R, "policy", "a policy"),
		  REF("agreement_code", O, "agreement", "an agreement"),
		  ENUM("instrument", R,
		       "agreement_quality,satisfaction,relationship_quality,quality_of_life,"
		       "org_culture",
		       NULL),
		  ENUM("wave", R, "T0,T1,once", NULL), DATE("fielded_on", R)}},
	{.name = "responses.csv",
	 .table = "response",
	 .key = {"survey_code", "respondent", "item"},
	 .key_new = 1,
	 .cols = {REF("survey_code", R, "survey", "a survey"), TEXT("respondent", R),
		  TEXT("item", R),
		  NUMBER("score", T_INT, O, "v BETWEEN 1 AND 5", "is out of range 1-5", NULL, 9)}},
	{.name = "org_events.csv",
	 .table = "org_event",
	 .extra = SAME_POLICY_SQL,
	 .cols = {REF("policy_code", R, "policy", "a policy"),
		  REF("agreement_code", O, "agreement", "an agreement"), DATE("occurred_on", R),
		  ENUM("kind", R, "new_solution,process_change,new_method,training", NULL),
		  TEXT("department", R),
		  NUMBER("quantity", T_INT, O, "v >= 1", "must be >= 1", "'1'", 6),
		  TEXT("description", O)}},
	{.name = "evidence.csv",
	 .table = "evidence",
	 .upsert = 1,
	 .key = {"code"},
	 /* the constraints of schema 007 that no column rule states: a title
	  * is one line of 1-200 characters, a summary 1-4000 characters with no
	  * control character but newline and tab, and a record belongs to an
	  * agreement, a neighbourhood or (neither) the whole policy */
	 .extra = EVIDENCE_SQL,
	 .cols = {CODE("code"), REF("policy_code", R, "policy", "a policy"),
		  REF("agreement_code", O, "agreement", "an agreement"),
		  REF("neighbourhood_code", O, "neighbourhood", "a neighbourhood"),
		  DATE("recorded_on", R),
		  ENUM("kind", R, "focus_group,interview,observation,document", NULL),
		  TEXT("title", R), LINES("summary", R),
		  NUMBER("participants", T_INT, O, "v >= 1", "must be >= 1", NULL, 6)}},
	{.name = "targets.csv",
	 .table = "target",
	 .upsert = 1,
	 .key = {"policy_code", "indicator", "level"},
	 /* the rules of the foreign key to the catalogue and of the trigger
	  * target_check, told apart so that the message says which */
	 .extra =
		 "SELECT r._line, 'indicator', r.indicator, 'is not a catalogue indicator', 20"
		 " FROM pg_temp.import_rec r WHERE r.indicator IS NOT NULL AND NOT EXISTS (SELECT 1"
		 " FROM cruscotto.catalogue k WHERE k.code = r.indicator) UNION ALL"
		 " SELECT r._line, 'indicator', r.indicator, 'is not an indicator at level ' ||"
		 " r.level, 21 FROM pg_temp.import_rec r"
		 " WHERE r.level IN ('agreement', 'neighbourhood', 'policy')"
		 " AND EXISTS (SELECT 1 FROM cruscotto.catalogue k WHERE k.code = r.indicator)"
		 " AND NOT EXISTS (SELECT 1 FROM cruscotto.catalogue k WHERE k.code ="
		 " r.indicator AND k.level = r.level) UNION ALL"
		 " SELECT r._line, 'indicator', r.indicator, 'is neutral and takes no target', 22"
		 " FROM pg_temp.import_rec r JOIN cruscotto.catalogue k ON k.code = r.indicator"
		 " AND k.level = r.level WHERE k.polarity = 'neutral'",
	 .cols = {REF("policy_code", R, "policy", "a policy"), TEXT("indicator", R),
		  ENUM("level", R, "agreement,neighbourhood,policy", NULL),
		  NUMBER("target", T_NUM, R, NULL, NULL, NULL, 12),
		  NUMBER("amber_ratio", T_NUM, O, "v > 0 AND v <= 1", "must be in (0,1]", "'0.8'",
			 9)}},
	{.name = "weights.csv",
	 .table = "weight",
	 .upsert = 1,
	 .key = {"policy_code", "item"},
	 /* the rule of the trigger weight_check */
	 .extra = "SELECT r._line, 'item', r.item, 'is neither a catalogue indicator nor a"
		  " dimension', 20 FROM pg_temp.import_rec r WHERE r.item IS NOT NULL AND NOT"
		  " EXISTS (SELECT 1 FROM cruscotto.catalogue k WHERE k.code = r.item) AND NOT"
		  " EXISTS (SELECT 1 FROM cruscotto.dimension d WHERE d.code = r.item)",
	 .cols = {REF("policy_code", R, "policy", "a policy"), TEXT("item", R),
		  NUMBER("weight", T_NUM, R, "v >= 0", "must be >= 0", NULL, 6)}},
};

#undef TEXT
#undef CODE
#undef DATE
#undef LINES
#undef REF
#undef ENUM
#undef NUMBER
#undef R
#undef O

_Static_assert(sizeof(imp_specs) / sizeof(imp_specs[0]) == IMP_NSPECS,
	       "IMP_NSPECS counts the files");

int imp_spec_ncols(const struct file_spec *fs)
{
	int n = 0;

	while (n < MAX_COLS && fs->cols[n].name)
		n++;
	return n;
}
