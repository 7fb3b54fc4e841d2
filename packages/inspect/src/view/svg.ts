const SVG_NAMESPACE = 'http://www.w3.org/2000/svg'

/** Makes an SVG element with the given attributes, appended to `parent` when one is given. */
export function svg<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Readonly<Record<string, string | number>> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NAMESPACE, name)
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value))
  parent?.append(element)
  return element
}

/** Measures text as the page's style draws it in `className`, in the SVG's own units. */
export function textMeasurer(host: SVGSVGElement): (text: string, className: string) => number {
  const probe = svg('text', { x: -1000, y: -1000, 'aria-hidden': 'true' }, host)
  return (text, className) => {
    probe.setAttribute('class', className)
    probe.textContent = text
    return probe.getComputedTextLength()
  }
}
