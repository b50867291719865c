<?xml version="1.0" encoding="UTF-8"?>
<!--
  header.xsl - what a TEI document says about itself, read where ordinary TEI
  says it: cmctei masters, FRUS volumes and the single documents cut from
  them, TEI Stylesheets' and ParlaMint's files, TCP texts.

  Included by common.xsl (so by every stylesheet that includes common.xsl).
  Every function takes the TEI element and returns a string (or strings),
  empty when the document does not say; none raises an error on TEI that
  lacks a field.

  A document of a volume: cmctei publishes a FRUS volume one document at a
  time. Each document is handed to the stylesheets as the volume's
  teiHeader followed by a text holding that one div[@type='document']
  (which is also how FRUS itself cuts single documents). For such a TEI,
  cm:document-div returns the div, and the document's facts (title, date,
  number) come from it while the container's (the volume's title,
  editors, publisher, year) come from the header. cmctei passes, besides,
  the volume's outline as the parameter $cm:volume (see common.xsl) and the
  document's id in it as $cm:part: cm:pages, cm:volume-title and the
  previous/next links read them.

  Functions of the whole document that a page asks several times (the date,
  the title, the categories, the document div: the header, the banner, the
  metadata, the search facets and the about list each ask) are declared
  cache="yes" (XSLT 3.0, 10.3.2: a memo function, same arguments, same
  result). SaxonC-HE keeps the memo per transformation, so one document's
  answer never reaches the next (tests/test_html_memo.py). With html.xsl's
  quicker link test, its memoised notes and cm:person-id's first token,
  measured on the bench corpus (issue 18): the page's transform 59.8 to 52.1
  million instructions a document (docs/performance.md).

  Parameters (set by cmctei publish; empty when a stylesheet is run alone):
    cm:document-id  (xs:string)  the id the outputs are published under
                 (the file name; for a document of a volume, the volume's
                 id, a hyphen, and the document's own id).
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns:frus="http://history.state.gov/frus/ns/1.0"
                xmlns:cm="urn:cmctei"
                exclude-result-prefixes="#all">

  <xsl:param name="cm:document-id" as="xs:string" select="''"/>

  <!-- ============================================================ identity -->

  <xsl:function name="cm:docid" as="xs:string" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="string(($cm:document-id, $tei/@xml:id, $tei//tei:publicationStmt/tei:idno[@type = 'cmctei'],
                                  $tei//tei:publicationStmt/tei:idno, 'document')[normalize-space()][1])"/>
  </xsl:function>

  <!-- Whether the document is a cmctei master (its header describes the encoding, not the source). -->
  <xsl:function name="cm:is-master" as="xs:boolean" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="exists($tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'cmctei'])"/>
  </xsl:function>

  <!-- The document's identifiers other than cmctei's, as "type: value". -->
  <xsl:function name="cm:idnos" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[normalize-space()][not(@type = 'cmctei')]
                          ! (string-join((@type, @subtype)[normalize-space()], ' ') ! (if (.) then . || ': ' else '') || normalize-space(.))"/>
  </xsl:function>

  <!-- ============================================================ a document of a volume -->

  <!-- The divisions that are documents, outermost only. -->
  <xsl:function name="cm:document-divs" as="element()*" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/tei:text//tei:div[@type = 'document'][not(ancestor::tei:div[@type = 'document'])]"/>
  </xsl:function>

  <!-- The one document of a volume this TEI holds, or () (none, or several: the volume itself). -->
  <xsl:function name="cm:document-div" as="element()?" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="divs" select="cm:document-divs($tei)"/>
    <xsl:sequence select="if (count($divs) = 1 and not(cm:is-master($tei))) then $divs else ()"/>
  </xsl:function>

  <!-- Text of an element as read: notes (footnote texts), page furniture and the readings a
       choice does not show left out; a line break is a space. -->
  <xsl:function name="cm:plain-text" as="xs:string">
    <xsl:param name="element" as="element()?"/>
    <xsl:sequence select="normalize-space(string-join($element//(text() | tei:lb[not(@break = 'no' or @type = 'hyphenInWord')])
                          [not(ancestor::tei:note | ancestor::tei:fw | ancestor::tei:sic | ancestor::tei:orig | ancestor::tei:abbr)]
                          ! (if (self::text()) then string(.) else ' '), ''))"/>
  </xsl:function>

  <xsl:function name="cm:doc-number" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="normalize-space(cm:document-div($tei)/@n)"/>
  </xsl:function>

  <!-- The pages a document of a volume is printed on ("12", "12–14"), from the outline. -->
  <xsl:function name="cm:pages" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="string(cm:outline-part()/@pages)"/>
  </xsl:function>

  <!-- The title of the volume (container) a document belongs to. -->
  <xsl:function name="cm:volume-title" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="if (not(cm:document-div($tei))) then ''
                          else string(($cm:volume/*/@title, cm:header-title($tei)[. != cm:title($tei)])[normalize-space()][1])"/>
  </xsl:function>

  <!-- ============================================================ title, date -->

  <!-- The header's own title: main, else complete (FRUS), else the first that is not empty. -->
  <xsl:function name="cm:header-title" as="xs:string" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="titles" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[normalize-space()]"/>
    <xsl:variable name="lang" select="string($tei/@xml:lang)"/>
    <xsl:variable name="main" select="$titles[@type = 'main']"/>
    <xsl:sequence select="normalize-space(string(($main[@xml:lang = $lang], $main, $titles[@type = 'complete'], $titles)[1]))"/>
  </xsl:function>

  <!-- The title: for a document of a volume its heading (without the final period FRUS
       headings end with), else the header's, else the text's first heading. -->
  <xsl:function name="cm:title" as="xs:string" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="document" select="cm:document-div($tei)"/>
    <xsl:variable name="head" select="($tei/tei:text//tei:head)[1]"/>
    <xsl:sequence select="
      if ($document and cm:plain-text($document/tei:head[1])) then replace(cm:plain-text($document/tei:head[1]), '([^.])\.$', '$1')
      else if (cm:header-title($tei)) then cm:header-title($tei)
      else normalize-space(string($head))"/>
  </xsl:function>

  <!-- An ISO date (or year, or year-month) from a TEI date: @when (a date-time's date),
       else what both ends of a range (@notBefore and @notAfter, @from and @to) share
       ("1962-10-01" to "1962-10-31" is "1962-10"; one end alone is no date), else, when no
       such attribute dates it, a year in its text ("December, 1843." gives "1843"). A date is
       never made more precise than the TEI says. -->
  <xsl:function name="cm:iso-date" as="xs:string">
    <xsl:param name="date" as="item()?"/>
    <xsl:variable name="element" select="if ($date instance of element()) then $date else ()"/>
    <xsl:variable name="when" select="normalize-space(string(($element/(@when, @when-iso), $date[not(. instance of element())])[1]))"/>
    <xsl:variable name="range" select="if ($element/@notBefore and $element/@notAfter) then cm:common-date($element/@notBefore, $element/@notAfter)
                                       else if ($element/@from and $element/@to) then cm:common-date($element/@from, $element/@to) else ''"/>
    <xsl:variable name="text" select="if ($element/(@notBefore | @notAfter | @from | @to)) then '' else normalize-space(string($element))"/>
    <xsl:sequence select="
      if (matches($when, '^-?\d{4}(-\d{2}(-\d{2})?)?')) then replace($when, '^(-?\d{4}(-\d{2}(-\d{2})?)?).*$', '$1')
      else if ($range) then $range
      else if (matches($text, '^\d{4}(-\d{2}(-\d{2})?)?$')) then $text
      else if (matches($text, '(^|\D)\d{4}(\D|$)')) then replace($text, '^.*?(^|\D)(\d{4})(\D.*)?$', '$2')
      else ''"/>
  </xsl:function>

  <!-- What two ISO dates (or date-times) share: the day, the month or the year, or ''
       ("1962-11-12T00:00:00" and "1962-11-12T23:59:59" are the day 1962-11-12). -->
  <xsl:function name="cm:common-date" as="xs:string">
    <xsl:param name="first" as="xs:string?"/>
    <xsl:param name="last" as="xs:string?"/>
    <xsl:variable name="a" select="tokenize(replace(normalize-space($first), '^(-?\d{4}(-\d{2}(-\d{2})?)?).*$', '$1'), '-')[.]"/>
    <xsl:variable name="b" select="tokenize(replace(normalize-space($last), '^(-?\d{4}(-\d{2}(-\d{2})?)?).*$', '$1'), '-')[.]"/>
    <xsl:variable name="shared" select="(for $i in 1 to min((count($a), count($b), 3)) return
                                          if (every $j in 1 to $i satisfies $a[$j] = $b[$j]) then $i else ())[last()]"/>
    <xsl:sequence select="if (matches(normalize-space($first), '^\d{4}') and $shared) then string-join(subsequence($a, 1, $shared), '-') else ''"/>
  </xsl:function>

  <!-- The date of the document: when it was made (creation), else, for a document of a
       volume, its own date (what FRUS doc-dateTime-min and -max share, else the first date of its dateline);
       for other TEI the date of the event recorded (ParlaMint's setting), of the source,
       or of the first dateline; a volume (several documents) is dated by its publication. -->
  <xsl:function name="cm:date" as="xs:string" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="header" select="$tei/tei:teiHeader"/>
    <xsl:variable name="document" select="cm:document-div($tei)"/>
    <xsl:variable name="volume-of-documents" select="count(cm:document-divs($tei)) gt 1"/>
    <xsl:variable name="candidates" as="xs:string*" select="(
      $header/tei:profileDesc/tei:creation/tei:date ! cm:iso-date(.),
      if ($document) then (cm:common-date($document/@frus:doc-dateTime-min, $document/@frus:doc-dateTime-max),
                           ($document//tei:dateline//tei:date)[1] ! cm:iso-date(.),
                           ($document//tei:date[@when])[1] ! cm:iso-date(.)) else (),
      if ($document or cm:dated-by-bounds($tei)) then () else (
        $header/tei:profileDesc/tei:settingDesc/tei:setting/tei:date ! cm:iso-date(.),
        $header/tei:fileDesc/tei:sourceDesc//(tei:imprint | tei:publicationStmt | tei:bibl | tei:biblStruct)/tei:date ! cm:iso-date(.),
        if ($volume-of-documents) then () else ($tei/tei:text//tei:dateline//tei:date)[1] ! cm:iso-date(.),
        $header/tei:fileDesc/tei:publicationStmt/tei:date[not(@type = 'content-date')] ! cm:iso-date(.)))"/>
    <xsl:sequence select="($candidates[.], '')[1]"/>
  </xsl:function>

  <!-- The creation date only bounds the date (@notBefore, @notAfter: "undated, not after the
       edition's year"): the document is undated, and no other date of the header (the source's
       imprint, the publication) may stand in for its own. -->
  <xsl:function name="cm:dated-by-bounds" as="xs:boolean" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="date" select="$tei/tei:teiHeader/tei:profileDesc/tei:creation/tei:date"/>
    <xsl:sequence select="exists($date[@notBefore or @notAfter]) and empty($date[@when or @when-iso])"/>
  </xsl:function>

  <!-- "not before 1961, not after 1996", for an undated document bounded so. -->
  <xsl:function name="cm:date-bounds" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="date" select="($tei/tei:teiHeader/tei:profileDesc/tei:creation/tei:date)[1]"/>
    <xsl:sequence select="string-join((
      $date/@notBefore ! ('not before ' || cm:date-long(cm:iso-date(string(.)))),
      $date/@notAfter ! ('not after ' || cm:date-long(cm:iso-date(string(.))))), ', ')"/>
  </xsl:function>

  <!-- ============================================================ people and publication -->

  <!-- A name as written: a persName or name inside (forename + surname joined), else the text
       without affiliations and addresses. -->
  <xsl:function name="cm:name" as="xs:string">
    <xsl:param name="who" as="element()"/>
    <xsl:variable name="inner" select="($who/(tei:persName, tei:name, tei:orgName))[1]"/>
    <xsl:sequence select="normalize-space(string-join((if ($inner) then $inner else $who)//text()
                          [not(ancestor::tei:affiliation | ancestor::tei:email | ancestor::tei:address | ancestor::tei:note)], ' '))"/>
  </xsl:function>

  <xsl:function name="cm:authors" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:author ! cm:name(.)[.]"/>
  </xsl:function>

  <!-- Editors: titleStmt/editor, and the people of a respStmt whose responsibility is editing. -->
  <xsl:function name="cm:editors" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="stmt" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt"/>
    <xsl:sequence select="distinct-values(($stmt/tei:editor ! cm:name(.),
      $stmt/tei:respStmt[matches(string(tei:resp), '^\s*(ed\.|edit)', 'i')]/(tei:persName | tei:name) ! cm:name(.))[.])"/>
  </xsl:function>

  <!-- The publisher of the edition at hand (one name: a publisher given in several languages
       counts once, in the document's language when it says so). -->
  <xsl:function name="cm:publisher" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="publisher" select="($tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:publisher)[1]"/>
    <xsl:variable name="names" select="$publisher/(tei:orgName | tei:name | tei:persName)"/>
    <xsl:variable name="lang" select="string($tei/@xml:lang)"/>
    <xsl:sequence select="if ($names) then normalize-space(($names[@xml:lang = $lang], $names)[1])
                          else normalize-space(string($publisher))"/>
  </xsl:function>

  <xsl:function name="cm:pub-place" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="normalize-space(($tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:pubPlace)[1])"/>
  </xsl:function>

  <xsl:function name="cm:pub-year" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <!-- FRUS volumes also date what they cover in publicationStmt (type "content-date") -->
    <xsl:sequence select="substring(cm:iso-date(($tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:date[not(@type = 'content-date')])[1]), 1, 4)"/>
  </xsl:function>

  <!-- The licence: a licence element's @target or text, else a link typed license, else
       the availability statement's text. -->
  <xsl:function name="cm:licence" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="availability" select="($tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:availability)[1]"/>
    <xsl:variable name="licence" select="($availability//tei:licence)[1]"/>
    <xsl:sequence select="normalize-space(string((
      $licence/@target, $licence[normalize-space()],
      ($availability//tei:ref[matches(@type, '^licen[cs]e$')]/@target)[1],
      $availability[normalize-space()])[1]))"/>
  </xsl:function>

  <!-- ============================================================ languages -->

  <!-- The document's language as a BCP 47 tag. -->
  <xsl:function name="cm:lang" as="xs:string" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="(($tei/@xml:lang, $tei/tei:text/@xml:lang,
      $tei/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language/@ident) ! cm:bcp47(.), 'en')[.][1]"/>
  </xsl:function>

  <!-- An xml:lang value as a valid BCP 47 tag (RFC 5646), or '' when it cannot be one:
       ISO 639-2/639-3 codes that have a two-letter code get it ("eng" is "en", "fre" is
       "fr"), as BCP 47 wants; case is normalised ("fr-fr" is "fr-FR", "zh-hant" is
       "zh-Hant"); "_" is read as "-". -->
  <xsl:function name="cm:bcp47" as="xs:string" cache="yes">
    <xsl:param name="code" as="xs:string?"/>
    <xsl:variable name="subtags" select="tokenize(normalize-space($code), '[-_]')"/>
    <xsl:variable name="first" select="lower-case(($subtags[1], '')[1])"/>
    <xsl:variable name="language" select="($iso639-1($first), $first)[1]"/>
    <xsl:variable name="rest" as="xs:string*" select="for $s in subsequence($subtags, 2) return
      if (matches($s, '^[A-Za-z]{4}$')) then upper-case(substring($s, 1, 1)) || lower-case(substring($s, 2))
      else if (matches($s, '^[A-Za-z]{2}$')) then upper-case($s) else lower-case($s)"/>
    <xsl:variable name="tag" select="string-join(($language, $rest), '-')"/>
    <xsl:sequence select="if (matches($tag, '^(([a-z]{2,3}|[a-z]{5,8})(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?(-([a-z\d]{5,8}|\d[a-z\d]{3}))*(-[a-wy-z\d](-[a-z\d]{2,8})+)*(-x(-[a-z\d]{1,8})+)?|x(-[a-z\d]{1,8})+)$'))
                          then $tag else ''"/>
  </xsl:function>

  <!-- ISO 639-2 (terminology and bibliographic) codes with an ISO 639-1 code, from the ISO 639
       tables (as distributed by pycountry 26.2.16). -->
  <xsl:variable name="iso639-1" as="map(xs:string, xs:string)" select="map {
      'aar': 'aa', 'abk': 'ab', 'afr': 'af', 'aka': 'ak', 'alb': 'sq', 'amh': 'am', 'ara': 'ar', 'arg': 'an',
      'arm': 'hy', 'asm': 'as', 'ava': 'av', 'ave': 'ae', 'aym': 'ay', 'aze': 'az', 'bak': 'ba', 'bam': 'bm',
      'baq': 'eu', 'bel': 'be', 'ben': 'bn', 'bis': 'bi', 'bod': 'bo', 'bos': 'bs', 'bre': 'br', 'bul': 'bg',
      'bur': 'my', 'cat': 'ca', 'ces': 'cs', 'cha': 'ch', 'che': 'ce', 'chi': 'zh', 'chu': 'cu', 'chv': 'cv',
      'cor': 'kw', 'cos': 'co', 'cre': 'cr', 'cym': 'cy', 'cze': 'cs', 'dan': 'da', 'deu': 'de', 'div': 'dv',
      'dut': 'nl', 'dzo': 'dz', 'ell': 'el', 'eng': 'en', 'epo': 'eo', 'est': 'et', 'eus': 'eu', 'ewe': 'ee',
      'fao': 'fo', 'fas': 'fa', 'fij': 'fj', 'fin': 'fi', 'fra': 'fr', 'fre': 'fr', 'fry': 'fy', 'ful': 'ff',
      'geo': 'ka', 'ger': 'de', 'gla': 'gd', 'gle': 'ga', 'glg': 'gl', 'glv': 'gv', 'gre': 'el', 'grn': 'gn',
      'guj': 'gu', 'hat': 'ht', 'hau': 'ha', 'hbs': 'sh', 'heb': 'he', 'her': 'hz', 'hin': 'hi', 'hmo': 'ho',
      'hrv': 'hr', 'hun': 'hu', 'hye': 'hy', 'ibo': 'ig', 'ice': 'is', 'ido': 'io', 'iii': 'ii', 'iku': 'iu',
      'ile': 'ie', 'ina': 'ia', 'ind': 'id', 'ipk': 'ik', 'isl': 'is', 'ita': 'it', 'jav': 'jv', 'jpn': 'ja',
      'kal': 'kl', 'kan': 'kn', 'kas': 'ks', 'kat': 'ka', 'kau': 'kr', 'kaz': 'kk', 'khm': 'km', 'kik': 'ki',
      'kin': 'rw', 'kir': 'ky', 'kom': 'kv', 'kon': 'kg', 'kor': 'ko', 'kua': 'kj', 'kur': 'ku', 'lao': 'lo',
      'lat': 'la', 'lav': 'lv', 'lim': 'li', 'lin': 'ln', 'lit': 'lt', 'ltz': 'lb', 'lub': 'lu', 'lug': 'lg',
      'mac': 'mk', 'mah': 'mh', 'mal': 'ml', 'mao': 'mi', 'mar': 'mr', 'may': 'ms', 'mkd': 'mk', 'mlg': 'mg',
      'mlt': 'mt', 'mon': 'mn', 'mri': 'mi', 'msa': 'ms', 'mya': 'my', 'nau': 'na', 'nav': 'nv', 'nbl': 'nr',
      'nde': 'nd', 'ndo': 'ng', 'nep': 'ne', 'nld': 'nl', 'nno': 'nn', 'nob': 'nb', 'nor': 'no', 'nya': 'ny',
      'oci': 'oc', 'oji': 'oj', 'ori': 'or', 'orm': 'om', 'oss': 'os', 'pan': 'pa', 'per': 'fa', 'pli': 'pi',
      'pol': 'pl', 'por': 'pt', 'pus': 'ps', 'que': 'qu', 'roh': 'rm', 'ron': 'ro', 'rum': 'ro', 'run': 'rn',
      'rus': 'ru', 'sag': 'sg', 'san': 'sa', 'sin': 'si', 'slk': 'sk', 'slo': 'sk', 'slv': 'sl', 'sme': 'se',
      'smo': 'sm', 'sna': 'sn', 'snd': 'sd', 'som': 'so', 'sot': 'st', 'spa': 'es', 'sqi': 'sq', 'srd': 'sc',
      'srp': 'sr', 'ssw': 'ss', 'sun': 'su', 'swa': 'sw', 'swe': 'sv', 'tah': 'ty', 'tam': 'ta', 'tat': 'tt',
      'tel': 'te', 'tgk': 'tg', 'tgl': 'tl', 'tha': 'th', 'tib': 'bo', 'tir': 'ti', 'ton': 'to', 'tsn': 'tn',
      'tso': 'ts', 'tuk': 'tk', 'tur': 'tr', 'twi': 'tw', 'uig': 'ug', 'ukr': 'uk', 'urd': 'ur', 'uzb': 'uz',
      'ven': 've', 'vie': 'vi', 'vol': 'vo', 'wel': 'cy', 'wln': 'wa', 'wol': 'wo', 'xho': 'xh', 'yid': 'yi',
      'yor': 'yo', 'zha': 'za', 'zho': 'zh', 'zul': 'zu'
    }"/>

</xsl:stylesheet>
