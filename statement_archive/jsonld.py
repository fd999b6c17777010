"""schema.org JSON-LD for every page, as plain dicts; templates print them with Jinja's `tojson`,
which escapes <, >, & and ' so nothing in the data can close the <script> element.

A statement's page is the archive's WebPage, whose main entity is the outlet's report: a NewsArticle
published by the outlet (at its own address, when known, and archived at the page) whose Quotation parts
are spoken by people. Keeping the two apart says that the outlet published the report, not the archive's
page, and that the archive's corrections date the page, not the report. Entity pages describe a Person,
Organization, Event, NewsMediaOrganization or Place with its aliases and sameAs links.
Nodes share @id values (page address + "#" + kind), so a statement's mention of a person and
the person's own page describe the same node.
"""

from __future__ import annotations

from .citations import cited_title
from .entities import KIND_SINGULAR
from .model import Ref, SiteIndex, Statement, display_date
from .urls import HOME_URL, SEARCH_URL, Urls, entity_url, paragraph_url, statement_url

CONTEXT = "https://schema.org"
TYPES = {"people": "Person", "organisations": "Organization", "events": "Event",
         "outlets": "NewsMediaOrganization", "places": "Place"}


def node_id(urls: Urls, ref: Ref) -> str:
    return urls.identifier(entity_url(ref.kind, ref.slug)) + "#" + KIND_SINGULAR[ref.kind]


def website(urls: Urls, site_title: str) -> dict:
    return {"@type": "WebSite", "@id": urls.identifier(HOME_URL) + "#website", "name": site_title,
            "url": urls.absolute(HOME_URL)}


def entity_node(index: SiteIndex, urls: Urls, ref: Ref) -> dict:
    """A short reference to an entity, enough for a consumer to follow to its page (its @id is an address there).
    Its url is the same wherever the node stands: the organisation's or outlet's own website when the registry
    has one (schema.org's url is the item's own), else the archive's page."""
    entity = index.entities[ref.kind][ref.slug]
    return {"@type": TYPES[ref.kind], "@id": node_id(urls, ref), "name": entity.name,
            "url": entity.url or urls.absolute(entity_url(ref.kind, ref.slug))}


def statement_jsonld(statement: Statement, index: SiteIndex, urls: Urls, site_title: str, language: str) -> dict:
    record = statement.record
    url = statement_url(statement)
    permalink = urls.absolute(url)
    outlet = entity_node(index, urls, statement.outlet)
    report = {
        "@type": "NewsArticle",
        "@id": urls.identifier(url) + "#report",
        "name": cited_title(record),  # an editors' title bracketed, as everywhere it stands alone
        "datePublished": record.date.isoformat(),
        "inLanguage": language,
        "publisher": outlet,
        "author": (entity_node(index, urls, statement.author) if statement.author  # the journalist's page
                   else {"@type": "Person", "name": record.author} if record.author else outlet),
        "archivedAt": permalink,
    }
    if not record.title_note:  # an editors' title is not the outlet's headline (citations bracket it likewise)
        report["headline"] = record.title
    if record.source_url:
        report["url"] = record.source_url
    if record.summary:
        report["description"] = record.summary
    if statement.event:
        report["about"] = entity_node(index, urls, statement.event)
    mentioned = []
    for ref in list(statement.speakers) + list(statement.organisations) + list(statement.mentions):
        if ref not in mentioned:
            mentioned.append(ref)
    if mentioned:
        report["mentions"] = [entity_node(index, urls, ref) for ref in mentioned]
    if statement.places:
        report["contentLocation"] = [entity_node(index, urls, ref) for ref in statement.places]
    if statement.quotes:
        report["hasPart"] = [quotation(q, index, urls, permalink) for q in statement.quotes]
    data = {
        "@context": CONTEXT,
        "@type": "WebPage",
        "@id": urls.identifier(url),
        "url": permalink,
        "name": cited_title(record),  # an editors' title bracketed, as everywhere it stands alone
        "inLanguage": language,
        "dateModified": record.modified.isoformat(),
        "isPartOf": website(urls, site_title),
        "mainEntity": report,
    }
    if record.summary:
        data["description"] = record.summary
    if record.withdrawn:
        data["creativeWorkStatus"] = f"Withdrawn on {record.withdrawn.date.isoformat()}: {record.withdrawn.reason}"
    return data


def quotation(quote, index: SiteIndex, urls: Urls, permalink: str) -> dict:
    """A Quotation; one whose speaker the editors inferred says so, as the page does, so that it is not taken as
    the report's own attribution."""
    data = {"@type": "Quotation", "text": quote.text, "url": paragraph_url(permalink, quote.paragraph_id),
            "spokenByCharacter": entity_node(index, urls, quote.speaker)}
    if quote.note:
        data["description"] = f"Attribution inferred by the archive's editors: {quote.note}"
    return data


def entity_jsonld(ref: Ref, index: SiteIndex, urls: Urls) -> dict:
    entity = index.entities[ref.kind][ref.slug]
    page = urls.absolute(entity_url(ref.kind, ref.slug))
    data = {"@context": CONTEXT, **entity_node(index, urls, ref), "mainEntityOfPage": page}
    if entity.aliases:
        data["alternateName"] = list(entity.aliases)
    if entity.role:  # a person's too: a role of one date, not the jobTitle they hold now
        data["description"] = (f"{entity.role} (as reported on {display_date(entity.role_date)})" if entity.role_date
                               else entity.role)
    if entity.same_as:
        data["sameAs"] = list(entity.same_as)
    if entity.date:
        data["startDate"] = entity.date.isoformat()
    if entity.place:
        data["location"] = entity_node(index, urls, Ref("places", entity.place))
    if entity.within:
        data["containedInPlace"] = entity_node(index, urls, Ref("places", entity.within))
    if entity.organisers:
        data["organizer"] = [entity_node(index, urls, Ref("organisations", s)) for s in entity.organisers]
    return data


def home_jsonld(urls: Urls, site_title: str, description: str, language: str) -> dict:
    """The site, with the search page as a SearchAction."""
    data = {"@context": CONTEXT, **website(urls, site_title), "inLanguage": language,
            "potentialAction": {"@type": "SearchAction",
                                "target": {"@type": "EntryPoint",
                                           "urlTemplate": urls.absolute(SEARCH_URL) + "?q={search_term_string}"},
                                "query-input": "required name=search_term_string"}}
    if description:
        data["description"] = description
    return data


def page_jsonld(urls: Urls, site_title: str, site_path: str, title: str, page_type: str = "WebPage") -> dict:
    return {"@context": CONTEXT, "@type": page_type, "@id": urls.identifier(site_path), "name": title,
            "url": urls.absolute(site_path), "isPartOf": website(urls, site_title)}


def dataset_jsonld(urls: Urls, site_title: str, site_path: str, description: str, downloads: list[dict]) -> dict:
    """The "About the data" page describes the open data as a Dataset with its downloads."""
    return {"@context": CONTEXT, "@type": "Dataset", "@id": urls.identifier(site_path) + "#dataset",
            "name": f"{site_title}: open data", "description": description, "url": urls.absolute(site_path),
            "isPartOf": website(urls, site_title),
            "distribution": [{"@type": "DataDownload", "encodingFormat": d["type"], "contentUrl": d["url"]}
                             for d in downloads]}
