import { describe, expect, it } from 'vitest';
import { BARRIER_CHAR, PLACEHOLDER_CHAR } from '../../src/engine/types.js';
import { maskTemplates } from '../../src/formats/template.js';
import { visible } from './helpers.js';

/** Masked text with § for placeholders and ¶ for barriers, spaces collapsed. */
function mask(src: string): string {
  const layer = maskTemplates(src);
  expect(layer.text.text.length).toBe(src.length);
  return visible(layer);
}

describe('template layer: placeholders become one word', () => {
  it.each([
    ['Liquid/Zendesk', 'Hi {{ customer.first_name }}, per our policy', 'Hi §, per our policy'],
    ['Zendesk ticket', 'Dear {{ticket.requester.first_name}}, thanks', 'Dear §, thanks'],
    ['Handlebars triple', 'Hi {{{name}}}, thanks', 'Hi §, thanks'],
    ['Mustache unescaped', 'Hi {{& name}}!', 'Hi §!'],
    ['ERB output', 'Hi <%= @user.name %>, thanks', 'Hi §, thanks'],
    ['EJS unescaped', 'Hi <%- user.name %>, thanks', 'Hi §, thanks'],
    ['Magento var', 'Order {{var order.increment_id}} shipped', 'Order § shipped'],
    ['Go template', 'Hi {{ .Name }}, welcome', 'Hi §, welcome'],
    ['Blade raw', 'Hi {!! $name !!}, welcome', 'Hi §, welcome'],
    ['Blade escaped', 'Hi {{ $name }}, welcome', 'Hi §, welcome'],
    ['PHP echo', 'Hi <?= $name ?>, welcome', 'Hi §, welcome'],
    ['OTRS', 'Dear <OTRS_CUSTOMER_Realname>, thanks', 'Dear §, thanks'],
    ['OTRS escaped (XML)', 'You wrote: &lt;OTRS_CUSTOMER_EMAIL[6]&gt; ok', 'You wrote: § ok'],
    ['%NAME%', 'Dear %NAME%, thanks', 'Dear §, thanks'],
    ['%%Name%%', 'Dear %%Name%%, thanks', 'Dear §, thanks'],
    ['%{name} (Rails, osTicket)', 'Dear %{ticket.name.first}, thanks', 'Dear §, thanks'],
    ['#{name} (Zammad)', 'Dear #{ticket.customer.lastname}, thanks', 'Dear §, thanks'],
    ['${name}', 'Dear ${name}, thanks', 'Dear §, thanks'],
    ['{$name} (Smarty/RT)', 'Ticket {$Ticket->id} updated', 'Ticket § updated'],
    ['RT perl call', 'See {RT->Config->Get(\'WebURL\')}Ticket now', 'See § Ticket now'],
    ['RT one-line perl', 'Subject: {my $s = $Ticket->Subject; $s} is done', 'Subject: § is done'],
    ['{name} (PrestaShop)', 'Hi {firstname} {lastname}, thanks', 'Hi § §, thanks'],
    ['[Name]', 'Hi [Name], thanks', 'Hi §, thanks'],
    ['[Customer Name]', 'Hi [Customer Name], thanks', 'Hi §, thanks'],
    ['Mailchimp', 'Hi *|FNAME|*, thanks', 'Hi §, thanks'],
    ['uvdesk', 'Hello {%customer.firstName%}, thanks', 'Hello §, thanks'],
    ['<PLACEHOLDER>', 'a duplicate of issue #<ISSUE_NUMBER>. Thanks', 'a duplicate of issue #§. Thanks'],
    ['<PROJECT NAME>', 'ask the <PROJECT NAME> team', 'ask the § team'],
    ['printf', 'Hi %s, you have %1$s and %(count)d', 'Hi §, you have § and §'],
  ])('%s', (_name, src, expected) => {
    expect(mask(src)).toBe(expected);
  });

  it('a placeholder is exactly one PLACEHOLDER_CHAR followed by spaces', () => {
    const src = 'Hi {{name}}, per our policy';
    const text = maskTemplates(src).text.text;
    expect(text).toBe(`Hi ${PLACEHOLDER_CHAR}       , per our policy`);
    expect([...text.matchAll(new RegExp(PLACEHOLDER_CHAR, 'g'))]).toHaveLength(1);
  });

  it(':name is not a placeholder', () => {
    expect(mask('Hello :name, your order')).toBe('Hello :name, your order');
  });

  it('Markdown links, references, images and checkboxes are not [Name] placeholders', () => {
    expect(mask('[Read more](https://x.y) [Docs][ref] ![Alt](a.png) [x] done')).toBe('[Read more](https://x.y) [Docs][ref] ![Alt](a.png) [x] done');
  });

  it('old upper-case HTML tags are not <PLACEHOLDER>s', () => {
    expect(mask('<P>Hi<BR><TABLE><TD>x</TD></TABLE>')).toBe('<P>Hi<BR><TABLE><TD>x</TD></TABLE>');
  });

  it('percent signs in prose stay', () => {
    expect(mask('50% off and 20% more, 100%')).toBe('50% off and 20% more, 100%');
  });
});

describe('template layer: control tags and comments are masked', () => {
  it.each([
    ['Liquid if/endif', 'A{% if vip %} B{% else %} C{% endif %}.', 'A B C .'],
    ['Liquid trim markers', 'A{%- if vip -%}B{%- endif -%}', 'A B'],
    ['Liquid comment', 'A {% comment %}not for customers{% endcomment %} B', 'A B'],
    ['Liquid raw tags', 'A {% raw %}B{% endraw %} C', 'A B C'],
    ['Handlebars blocks', '{{#if vip}}A{{else}}B{{/if}}', 'A B'],
    ['Handlebars each + partial', '{{#each items}}{{> item}}{{/each}} done', 'done'],
    ['Handlebars comments', 'A {{! short }} B {{!-- long }} --}} C', 'A B C'],
    ['Mustache inverse', '{{^items}}None{{/items}}', 'None'],
    ['ERB control and comment', '<% if x %>A<% end %> <%# note %>B', 'A B'],
    ['Jinja comment', 'A {# note #} B', 'A B'],
    ['Jinja for', '{% for x in y %}A{% endfor %}', 'A'],
    ['Magento depend', '{{depend order.note}}Note{{/depend}}', 'Note'],
    ['Magento template', '{{template config_path="design/email/header_template"}}Hello', 'Hello'],
    ['Magento if/else', '{{if a}}A{{else}}B{{/if}}', 'A B'],
    ['Go define/template/end', '{{ define "x" }}{{ template "header" . }}Hi{{ end }}', 'Hi'],
    ['Go trim and comment', '{{- if .X }}A{{- /* note */ -}}{{ end -}}', 'A'],
    ['Blade directives', "@extends('layout') @section('content') A @if (!empty($x)) B @endif @endsection", 'A B'],
    ['Blade comment', 'A {{-- note --}} B', 'A B'],
    ['Blade php block', 'A @php $x = 1; @endphp B', 'A B'],
    ['PHP block', 'A <?php if ($x) { ?>B<?php } ?>', 'A B'],
    ['XML declaration', '<?xml version="1.0"?>A', 'A'],
    ['PHP to the end of the file', "A <?php\n$x = 1;\n// per our policy\nfunction f() { return 'as previously stated'; }", 'A'],
    ['PHP heredoc body is a template', "<?php\n$m = <<<MESSAGE\n<p>Hello {%user.name%}, thanks</p>\nMESSAGE;\n$y = 'code';", '¶<p>Hello §, thanks</p>'],
    ['RT multi-line perl block', 'Hello {\n  for my $t (@T) { $OUT .= "<li>x</li>"; }\n} done', 'Hello\ndone'],
    ['Mailchimp conditionals', '*|IF:VIP|*A*|ELSE:|*B*|END:IF|*', 'A B'],
  ])('%s', (_name, src, expected) => {
    expect(mask(src)).toBe(expected);
  });

  it('e-mail addresses and @mentions are not Blade directives', () => {
    expect(mask('write to help@if.com or @ifttt')).toBe('write to help@if.com or @ifttt');
  });
});

describe('template layer: translatable strings inside tags are prose', () => {
  it.each([
    ['Django trans', '{% trans "We apologize for any inconvenience" %}', '¶We apologize for any inconvenience¶'],
    ['Django translate single quotes', "{% translate 'Per our policy' %}", '¶Per our policy¶'],
    ['Django blocktrans', '{% blocktrans %}Dear {{ name }}, per our policy{% endblocktrans %}', 'Dear §, per our policy'],
    ['Jinja trans block', '{% trans user=user %}Hi {{ user }}{% endtrans %}', 'Hi §'],
    ['Jinja _()', '{{ _("Please be advised") }}', '¶Please be advised¶'],
    ['Jinja gettext()', "{{ gettext('Thanks for waiting') }}", '¶Thanks for waiting¶'],
    ['Python format vars', "{{ _('The {domain} team')|f(domain=domain) }}", '¶The § team¶'],
    ['Blade __()', "{{ __('System Alert') }}", '¶System Alert¶'],
    ['Blade @lang()', "@lang('Per our policy')", '¶Per our policy¶'],
    ['Blade raw with vars', "{!! __('Adjust :%a_begin%here:%a_end%', ['%a_begin%' => '<a>']) !!}", '¶Adjust :§ here:§¶'],
    ['Magento trans', '{{trans "Welcome to %store_name." store_name=$store.frontend_name}}', '¶Welcome to §.¶'],
    ['Magento trans multi-line', "{{trans\n 'Click <a href=\"%url\">here</a> now'\n\n url=$this.getUrl()\n|raw}}", "¶Click <a href=\"§\">here</a> now¶"],
    ['Twig trans filter', "{{ 'Thank you for your patience'|trans }}", '¶Thank you for your patience¶'],
    ['ERB gettext', '<%= _("Your call is important") %>', '¶Your call is important¶'],
    ['PHP esc_html_e', "<?php esc_html_e( 'We value your business.', 'woocommerce' ); ?>", '¶We value your business.¶'],
    ['PHP printf + esc_html__', "<?php printf( esc_html__( 'Hi %s,', 'woocommerce' ), $name ); ?>", '¶Hi §,¶'],
  ])('%s', (_name, src, expected) => {
    expect(mask(src)).toBe(expected);
  });

  it('translation keys are not prose', () => {
    expect(mask("{{ 'general.greeting' | t }} <%= t('devise.mailer.hello') %> {{ __('messages.welcome') }}")).toBe('§ § §');
  });

  it('other string arguments are not prose', () => {
    expect(mask('{% include "footer.html" %}{% trans email=\'admin@x.org\' %}Hi{% endtrans %}')).toBe('Hi');
  });

  it('records kept literals for escaping fixes', () => {
    const layer = maskTemplates("{{ __('We can\\'t') }}");
    expect(layer.literals).toEqual([{ start: 7, end: 16, quote: "'" }]);
  });

  it('puts barriers where the quotes were', () => {
    const text = maskTemplates('{% trans "A" %}{% trans "B" %}').text.text;
    expect(text.split(BARRIER_CHAR)).toHaveLength(5);
  });
});

describe('template layer: malformed input', () => {
  it('an unterminated {{ masks to the end of its line and is reported', () => {
    const layer = maskTemplates('Hi {{ name and more\nper our policy {{ok}}');
    expect(visible(layer)).toBe('Hi\nper our policy §');
    expect(layer.problems).toHaveLength(1);
    expect(layer.problems[0]).toMatchObject({ kind: 'parse-error', offset: 3 });
  });

  it('an unterminated {{ stops at the next {{ on the same line', () => {
    expect(mask('a {{ b {{c}} d')).toBe('a § d');
  });

  it('unterminated {%, <% and {{!-- are bounded too', () => {
    const layer = maskTemplates('A {% if\nB <% x\nC {{!-- x\nD');
    expect(visible(layer)).toBe('A\nB\nC\nD');
    expect(layer.problems[0].message).toMatch(/and 2 more/);
  });

  it('an unterminated {# or single brace is left as text', () => {
    expect(mask('A {# B { C')).toBe('A {# B { C');
    expect(mask('A {\n B')).toBe('A {\nB');
  });

  it('a 500 KB file of unbalanced openers stays linear', () => {
    for (const unit of ['{{', '{%', '<%', '{{!--', '{#', '#{', '%{', '[A', '%A', '@if(', '*|A', '<?php ', '{$', '<OTRS_', "{{ _('", '{\n', '<?php <<<A\n', '{a $b ']) {
      const src = unit.repeat(Math.ceil(500_000 / unit.length));
      const t0 = performance.now();
      const layer = maskTemplates(src);
      const ms = performance.now() - t0;
      expect(layer.text.text.length).toBe(src.length);
      expect(ms, unit).toBeLessThan(1500);
    }
  });

  it('never hangs on nested tags', () => {
    const src = '{{ {{ {% {{#if}} %} }} <% {{ %> }} {# {{ #} ' + '{{'.repeat(1000) + '}}'.repeat(1000);
    expect(maskTemplates(src).text.text.length).toBe(src.length);
  });
});
