"""Every DynamoDB key the stores build, in one module (tests hold this map against the functions).

Main table partitions (every tenant key starts with the tenant id, province-wide ones with shandong):

    {site}#SITE                          site: CONFIG, CHANGE#{id}
    shandong#SITES                       sites_index (GSI1): every site
    shandong#CHANGE_DUE                  changes_due (GSI1): pending scheduled changes
    {site}#ORG                           orgs: the buyer units of a site
    {site}#ORG#{district}                orgs_in_district (GSI1)
    shandong#SUPPLIER#{uscc}             supplier: PROFILE
    shandong#SUPPLIERS#{status}          suppliers_by_status (GSI1): review queues
    shandong#SUSPENSION_DUE              suspensions_due (GSI2): suspensions that end on a date
    shandong#SUPPLIER_CHANGES            supplier_changes (GSI3): registered suppliers' changes awaiting review
    shandong#SUPPLIER#{uscc}#LISTINGS    supplier_listings (GSI1): a supplier's listings in every site
    {site}#LISTING#{listing_id}          listing: LISTING
    {site}#LISTING_KEY#{unique_key}      listing_unique: one listing per supplier+category+brand+model
    {site}#LISTINGS#{status}             listings_by_status (GSI2): review queue
    {site}#PLAN#{plan_no}                plan: PLAN
    {site}#ORG#{uscc}#PLANS              buyer_plans (GSI1)
    {site}#PLANS                         site_plans (GSI2)
    {site}#CAP#{uscc}#{year}#{level2}    cap_usage: a buyer's yearly spending per 二级品目
    {site}#SEQ#{name}                    sequence: a number sequence
    {site}#ORDER#{order_no}              order: ORDER, RATING#{target}
    {site}#ORG#{uscc}#ORDERS             buyer_orders (GSI1)
    shandong#SUPPLIER#{uscc}#ORDERS      supplier_orders (GSI2), sorted by site first
    {site}#ORDERS                        site_orders (GSI3)
    {site}#FOLLOWUP#{order_no}#{target}  followup: a poor rating to follow up
    {site}#FOLLOWUPS#{status}            followups (GSI1)
    {site}#STATS                         site_stats: RATINGS
    shandong#NONCE#{nonce}               nonce: a used integration nonce (TTL)
    {site}#COMP#{competition_id}         competition: STATE, QUOTE#{uscc}, INVITE#{uscc}
    {site}#ORG#{uscc}#COMPS              buyer_competitions (GSI1)
    {site}#COMPS                         site_competitions (GSI2)
    shandong#SUPPLIER#{uscc}#INVITES     supplier_invitations (GSI1): a supplier's invitations in every site
    shandong#COMP_DUE                    competitions_due (GSI3): running competitions by their next deadline
    {scope}#REPORTJOB#{job_id}           report_job: JOB (a requested report compilation; scope: a site or shandong)
    {scope}#REPORTJOBS                   report_jobs (GSI1): a scope's requested compilations by time
    {site}#BULLETINS                     bulletins: the front page's notices, training material and FAQ
    {site}#IMG#{uscc}                    listing_images: a supplier's uploaded product images in a site
    shandong#AGREEMENT#{number}          agreement: AGREEMENT (a framework agreement's stage 1)
    shandong#AGREEMENTS                  agreements (GSI1): every framework agreement, by end date
    {site}#AGREEMENT#{number}            rotation: ROTATION#{catalog_code}, a site's 顺序轮候 turns
    {site}#BATCH#{batch_id}              batch: BATCH, ENTRY#{plan_no}, OFFER#{uscc} (a 批量采购)
    {site}#BATCHES                       site_batches (GSI1): a site's batch purchases, newest first
    shandong#BATCH_DUE                   batches_due (GSI2): running batches by the end of their window
    {site}#DESIGNATED                    designations: a site's designated suppliers (定点), sk their id
    {site}#PAVILIONS                     pavilions: a site's 特色场馆, sk their code
    shandong#INSPECTION#{campaign_id}    inspection: CAMPAIGN, FLAG#{site}#{listing}, FINDING#{id}, GUARD#{site}#…
    shandong#INSPECTIONS                 inspections (GSI1): every inspection campaign, newest first
    {site}#FINDINGS                      site_findings (GSI2): a site's inspection findings, newest first
    shandong#SUPPLIER#{uscc}#FINDINGS    supplier_findings (GSI1): a supplier's findings in every site
    shandong#CREDIT#{uscc}               credit_record: ENTRY#{id}, a supplier's province-wide credit record
    {scope}#CREDIT                       credit_entries (GSI1): the measures a site (or the province) proposed
    {site}#CREDIT_NOTICES                credit_notices (GSI2): 警示通报 published on a site, newest first
    shandong#CREDIT_RULES                credit_rules: TABLE, the credit rule table
    {site}#ALERT#{alert_id}              alert: ALERT, a 动态预警 with the purchases behind it
    {site}#ALERTS#{status}               site_alerts (GSI1): a site's alerts by status, newest first
    {site}#ALERT_RULES                   alert_rules: RULES, a site's alert thresholds
    {site}#COMPLAINT#{complaint_id}      complaint: COMPLAINT, a violation report or a complaint about a bidding
    {site}#COMPLAINTS                    site_complaints (GSI1): a site's complaints, newest first
    shandong#PARTY#{uscc}#COMPLAINTS     complainant_complaints (GSI2): what a unit filed, in every site
    shandong#PARTY#{uscc}#COMPLAINED     respondent_complaints (GSI3): what a unit must answer, in every site
    {site}#TICKET#{ticket_id}            ticket: TICKET, a question to the service desk or a hotline call
    {site}#TICKETS                       site_tickets (GSI1): a site's tickets by when they came in
    {site}#ASKER#{uscc}#TICKETS          asker_tickets (GSI2): what a unit asked in a site
    shandong#PRICE#{product}             price_observations: {at}#{site}#{order}#{line}, the mall's deals of a product

Catalog table (the rest of its partitions in domain/catalog_index.py):

    {site}#CB#{category_id}              brand_registry: the brands in a category

Audit table (GSI1 {tenant}: a tenant's timeline):

    {tenant}#{entity_type}#{entity_id}   audit_entity: the events of one entity
Sort keys that order by time are `sorted_by(at, id, ...)`: the parts joined by "#".
"""

from __future__ import annotations

from chalicelib.domain.principals import PROVINCE_SCOPE as PROVINCE


def sorted_by(*parts: str) -> str:
    return "#".join(parts)


def site(site: str) -> str:
    return f"{site}#SITE"


def sites_index() -> str:
    return f"{PROVINCE}#SITES"


def changes_due() -> str:
    return f"{PROVINCE}#CHANGE_DUE"


def orgs(site: str) -> str:
    return f"{site}#ORG"


def orgs_in_district(site: str, district: str) -> str:
    return f"{site}#ORG#{district}"


def supplier(uscc: str) -> str:
    return f"{PROVINCE}#SUPPLIER#{uscc}"


def suppliers_by_status(status: str) -> str:
    return f"{PROVINCE}#SUPPLIERS#{status}"


def supplier_changes() -> str:
    return f"{PROVINCE}#SUPPLIER_CHANGES"


def suspensions_due() -> str:
    return f"{PROVINCE}#SUSPENSION_DUE"


def supplier_listings(uscc: str) -> str:
    return f"{PROVINCE}#SUPPLIER#{uscc}#LISTINGS"


def listing(site: str, listing_id: str) -> str:
    return f"{site}#LISTING#{listing_id}"


def listing_unique(site: str, unique_key: str) -> str:
    return f"{site}#LISTING_KEY#{unique_key}"


def listings_by_status(site: str, status: str) -> str:
    return f"{site}#LISTINGS#{status}"


def plan(site: str, plan_no: str) -> str:
    return f"{site}#PLAN#{plan_no}"


def buyer_plans(site: str, uscc: str) -> str:
    return f"{site}#ORG#{uscc}#PLANS"


def site_plans(site: str) -> str:
    return f"{site}#PLANS"


def cap_usage(site: str, uscc: str, year: int | str, level2: str) -> str:
    return f"{site}#CAP#{uscc}#{year}#{level2}"


def sequence(site: str, name: str) -> str:
    return f"{site}#SEQ#{name}"


def order(site: str, order_no: str) -> str:
    return f"{site}#ORDER#{order_no}"


def buyer_orders(site: str, uscc: str) -> str:
    return f"{site}#ORG#{uscc}#ORDERS"


def supplier_orders(uscc: str) -> str:
    return f"{PROVINCE}#SUPPLIER#{uscc}#ORDERS"


def site_orders(site: str) -> str:
    return f"{site}#ORDERS"


def followup(site: str, order_no: str, target: str) -> str:
    return f"{site}#FOLLOWUP#{order_no}#{target}"


def followups(site: str, status: str) -> str:
    return f"{site}#FOLLOWUPS#{status}"


def site_stats(site: str) -> str:
    return f"{site}#STATS"


def nonce(nonce: str) -> str:
    return f"{PROVINCE}#NONCE#{nonce}"


def competition(site: str, competition_id: str) -> str:
    return f"{site}#COMP#{competition_id}"


def buyer_competitions(site: str, uscc: str) -> str:
    return f"{site}#ORG#{uscc}#COMPS"


def site_competitions(site: str) -> str:
    return f"{site}#COMPS"


def supplier_invitations(uscc: str) -> str:
    return f"{PROVINCE}#SUPPLIER#{uscc}#INVITES"


def competitions_due() -> str:
    return f"{PROVINCE}#COMP_DUE"


def report_job(scope: str, job_id: str) -> str:
    return f"{scope}#REPORTJOB#{job_id}"


def report_jobs(scope: str) -> str:
    return f"{scope}#REPORTJOBS"


def brand_registry(site: str, category_id: str) -> str:
    return f"{site}#CB#{category_id}"


def listing_images(site: str, uscc: str) -> str:
    return f"{site}#IMG#{uscc}"


def bulletins(site: str) -> str:
    return f"{site}#BULLETINS"


def audit_entity(tenant: str, entity_type: str, entity_id: str) -> str:
    return f"{tenant}#{entity_type}#{entity_id}"


def agreement(number: str) -> str:
    return f"{PROVINCE}#AGREEMENT#{number}"


def agreements() -> str:
    return f"{PROVINCE}#AGREEMENTS"


def rotation(site: str, number: str) -> str:
    return f"{site}#AGREEMENT#{number}"


def batch(site: str, batch_id: str) -> str:
    return f"{site}#BATCH#{batch_id}"


def site_batches(site: str) -> str:
    return f"{site}#BATCHES"


def designations(site: str) -> str:
    return f"{site}#DESIGNATED"


def pavilions(site: str) -> str:
    return f"{site}#PAVILIONS"


def batches_due() -> str:
    return f"{PROVINCE}#BATCH_DUE"


def inspection(campaign_id: str) -> str:
    return f"{PROVINCE}#INSPECTION#{campaign_id}"


def inspections() -> str:
    return f"{PROVINCE}#INSPECTIONS"


def site_findings(site: str) -> str:
    return f"{site}#FINDINGS"


def supplier_findings(uscc: str) -> str:
    return f"{PROVINCE}#SUPPLIER#{uscc}#FINDINGS"


def credit_record(uscc: str) -> str:
    return f"{PROVINCE}#CREDIT#{uscc}"


def credit_entries(scope: str) -> str:
    return f"{scope}#CREDIT"


def credit_notices(site: str) -> str:
    return f"{site}#CREDIT_NOTICES"


def credit_rules() -> str:
    return f"{PROVINCE}#CREDIT_RULES"


def alert(site: str, alert_id: str) -> str:
    return f"{site}#ALERT#{alert_id}"


def site_alerts(site: str, status: str) -> str:
    return f"{site}#ALERTS#{status}"


def alert_rules(site: str) -> str:
    return f"{site}#ALERT_RULES"


def complaint(site: str, complaint_id: str) -> str:
    return f"{site}#COMPLAINT#{complaint_id}"


def site_complaints(site: str) -> str:
    return f"{site}#COMPLAINTS"


def complainant_complaints(uscc: str) -> str:
    return f"{PROVINCE}#PARTY#{uscc}#COMPLAINTS"


def respondent_complaints(uscc: str) -> str:
    return f"{PROVINCE}#PARTY#{uscc}#COMPLAINED"


def ticket(site: str, ticket_id: str) -> str:
    return f"{site}#TICKET#{ticket_id}"


def site_tickets(site: str) -> str:
    return f"{site}#TICKETS"


def asker_tickets(site: str, uscc: str) -> str:
    return f"{site}#ASKER#{uscc}#TICKETS"


def price_observations(product: str) -> str:
    return f"{PROVINCE}#PRICE#{product}"
